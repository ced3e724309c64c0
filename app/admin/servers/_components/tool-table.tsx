import type { ExposedTool } from "@/lib/servers/describe";

/** A server's tools under the names clients see, with the upstream name when the hub had to alter it. */
export function ToolTable({ tools }: { tools: ExposedTool[] }) {
  if (tools.length === 0) return <p className="text-sm text-slate-600">The server lists no tools.</p>;
  return (
    <ul
      className="max-h-96 divide-y divide-slate-100 overflow-auto rounded-lg border border-slate-200 bg-white"
      data-testid="tool-table"
    >
      {tools.map((tool) => (
        <li
          key={tool.name}
          className="grid gap-x-4 gap-y-0.5 px-3 py-2 text-sm md:grid-cols-[minmax(14rem,auto)_1fr]"
          data-testid="tool-row"
          data-tool={tool.name}
        >
          <div className="min-w-0">
            <code className="font-mono text-xs break-all">{tool.exposed}</code>
            {!tool.exposed.endsWith(tool.name) && (
              <div className="text-xs text-slate-500">upstream: {tool.name}</div>
            )}
          </div>
          <p className="line-clamp-2 text-slate-600">{tool.description ?? "No description"}</p>
        </li>
      ))}
    </ul>
  );
}
