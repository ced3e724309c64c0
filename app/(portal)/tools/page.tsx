import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/app/_components/page-header";
import { requireUser } from "@/lib/auth/session";
import { listToolsByServer } from "@/lib/mcp/call-tool";
import { TryTool } from "./_components/try-tool";

export const metadata: Metadata = { title: "Tools" };

// Exactly the tools the person's MCP clients see at /api/mcp: their active groups, their names.
export default async function ToolsPage() {
  const user = await requireUser();
  const { servers, failed } = await listToolsByServer(
    { userId: user.id, email: user.email, keyId: null },
    { kind: "active" },
    "portal-tools-page",
  );
  return (
    <>
      <PageHeader
        title="Your tools"
        description="What your MCP client sees at your endpoint, from your active groups. Try any tool here."
      />
      {failed.length > 0 && (
        <p role="status" className="mb-4 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Not reachable right now, so left out: {failed.join(", ")}. The rest work as usual.
        </p>
      )}
      {servers.length === 0 ? (
        <div className="card text-sm text-slate-700">
          <p>You have no tools yet.</p>
          <p className="mt-2">
            <Link href="/groups" className="font-medium text-brand-700 underline">
              Join a group and switch it active
            </Link>{" "}
            to get its servers&rsquo; tools.
          </p>
        </div>
      ) : (
        <div className="space-y-6">
          {servers.map((server) => (
            <section
              key={server.server}
              className="card"
              data-testid="tool-server"
              data-server={server.server}
            >
              <h2 className="wrap-anywhere font-medium">{server.server}</h2>
              {server.description && <p className="text-sm text-slate-600">{server.description}</p>}
              <ul className="mt-3 divide-y divide-slate-100">
                {server.tools.map((tool) => (
                  <li key={tool.name} className="py-3">
                    <details>
                      <summary className="cursor-pointer">
                        <code className="wrap-anywhere font-mono text-sm font-medium">{tool.name}</code>
                        {tool.description && (
                          <span className="ml-2 text-sm text-slate-600">
                            {tool.description.split("\n")[0]}
                          </span>
                        )}
                      </summary>
                      <pre className="mt-2 max-h-60 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs">
                        {JSON.stringify(tool.inputSchema, null, 2)}
                      </pre>
                      <TryTool name={tool.name} inputSchema={tool.inputSchema} />
                    </details>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      )}
    </>
  );
}
