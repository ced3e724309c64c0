import type { FormState } from "@/lib/auth/form-state";
import type { ServerTestData } from "../action-types";
import { ToolTable } from "./tool-table";

const recordedNote: Record<ServerTestData["recorded"], string> = {
  saved: "Recorded on the saved server.",
  unsaved: "Not recorded: the form has unsaved changes. Save to keep this result.",
  new: "Not saved yet: add the server to keep it.",
};

/** What Test connection found: the tools, or the upstream's error. */
export function TestResult({ state, pending }: { state: FormState<ServerTestData>; pending: boolean }) {
  if (pending) {
    return (
      <p className="animate-pulse text-sm text-slate-600" aria-live="polite">
        Connecting and listing tools…
      </p>
    );
  }
  if (state.status === "idle") return null;
  if (state.status === "error") {
    return (
      <section
        className="space-y-2 rounded-lg border border-red-200 bg-red-50 p-4"
        role="alert"
        data-testid="test-result"
      >
        <h3 className="text-sm font-semibold text-red-900">
          The connection failed{state.data ? ` after ${state.data.ms} ms` : ""}
        </h3>
        <pre className="whitespace-pre-wrap break-words font-mono text-xs text-red-900">{state.message}</pre>
        {state.data && <p className="text-xs text-red-800">{recordedNote[state.data.recorded]}</p>}
      </section>
    );
  }
  return (
    <section
      className="space-y-3 rounded-lg border border-green-200 bg-green-50/50 p-4"
      aria-live="polite"
      data-testid="test-result"
    >
      <h3 className="text-sm font-semibold text-green-900">{state.message}</h3>
      {state.data && (
        <>
          <ToolTable tools={state.data.tools} />
          <p className="text-xs text-slate-600">{recordedNote[state.data.recorded]}</p>
        </>
      )}
    </section>
  );
}
