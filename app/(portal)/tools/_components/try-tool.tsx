"use client";

import { useState, useTransition } from "react";
import { type TryToolState, tryToolAction } from "../actions";

/** A JSON skeleton of a tool's required arguments, so people start from something valid. */
function skeleton(
  schema: { properties?: Record<string, { type?: string }>; required?: string[] } | undefined,
): string {
  const args: Record<string, unknown> = {};
  for (const name of schema?.required ?? []) {
    const type = schema?.properties?.[name]?.type;
    args[name] =
      type === "number" || type === "integer"
        ? 0
        : type === "boolean"
          ? false
          : type === "array"
            ? []
            : type === "object"
              ? {}
              : "";
  }
  return JSON.stringify(args, null, 2);
}

export function TryTool({ name, inputSchema }: { name: string; inputSchema: unknown }) {
  const [args, setArgs] = useState(() => skeleton(inputSchema as never));
  const [state, setState] = useState<TryToolState>({ status: "idle" });
  const [pending, start] = useTransition();
  return (
    <div className="mt-3 space-y-2">
      <label className="label" htmlFor={`args-${name}`}>
        Arguments (JSON)
      </label>
      <textarea
        id={`args-${name}`}
        className="input min-h-24 font-mono text-xs"
        value={args}
        onChange={(e) => setArgs(e.target.value)}
        spellCheck={false}
      />
      <button
        type="button"
        className="btn-primary"
        disabled={pending}
        onClick={() => start(async () => setState(await tryToolAction(name, args)))}
      >
        {pending ? "Calling…" : `Call ${name}`}
      </button>
      {state.status === "error" && (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800">
          {state.message}
        </p>
      )}
      {state.status === "done" && (
        <div
          className={`rounded-lg px-3 py-2 text-sm ${state.result.isError ? "bg-red-50 text-red-900" : "bg-green-50 text-green-900"}`}
          data-testid="tool-result"
        >
          <p className="mb-1 text-xs">
            {state.result.isError ? "The tool reported an error" : "Result"} · {state.ms} ms
          </p>
          <pre className="max-h-80 overflow-auto whitespace-pre-wrap break-words font-mono text-xs">
            {state.result.content
              .map((block) => (block.type === "text" ? block.text : `[${block.type}]`))
              .join("\n")}
            {state.result.structuredContent
              ? `\n\nstructuredContent: ${JSON.stringify(state.result.structuredContent, null, 2)}`
              : ""}
          </pre>
        </div>
      )}
    </div>
  );
}
