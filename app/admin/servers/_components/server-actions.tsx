"use client";

import { useState, useTransition } from "react";
import type { FormState } from "@/lib/auth/form-state";
import { deleteServerAction, refreshToolsAction, setServerEnabledAction } from "../actions";

function useRun() {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<FormState>({ status: "idle" });
  const run = (action: () => Promise<FormState>) => startTransition(async () => setResult(await action()));
  return { pending, result, run };
}

function Result({ result, className = "" }: { result: FormState; className?: string }) {
  if (result.status === "idle") return null;
  return (
    <p
      role={result.status === "error" ? "alert" : "status"}
      className={`text-xs ${result.status === "error" ? "text-red-700" : "text-green-700"} ${className}`}
    >
      {result.message}
    </p>
  );
}

export function EnableToggle({
  name,
  enabled,
  small = false,
}: {
  name: string;
  enabled: boolean;
  small?: boolean;
}) {
  const { pending, result, run } = useRun();
  return (
    <div className="flex flex-col items-start gap-1">
      <button
        type="button"
        className={`btn-secondary ${small ? "px-2 py-1 text-xs" : ""}`}
        disabled={pending}
        onClick={() => run(() => setServerEnabledAction(name, !enabled))}
      >
        {pending ? "Saving…" : enabled ? "Disable" : "Enable"}
      </button>
      {result.status === "error" && <Result result={result} />}
    </div>
  );
}

export function RefreshToolsButton({ name }: { name: string }) {
  const { pending, result, run } = useRun();
  return (
    <div className="space-y-1">
      <button
        type="button"
        className="btn-secondary"
        disabled={pending}
        onClick={() => run(() => refreshToolsAction(name))}
      >
        {pending ? "Listing…" : "List tools again"}
      </button>
      <Result result={result} className="whitespace-pre-wrap" />
    </div>
  );
}

export function DeleteServerButton({ name }: { name: string }) {
  const { pending, result, run } = useRun();
  return (
    <div className="space-y-2">
      <button
        type="button"
        className="btn-danger"
        disabled={pending}
        onClick={() => {
          if (window.confirm(`Delete the server ${name}? People lose its tools at once.`)) {
            run(() => deleteServerAction(name));
          }
        }}
      >
        {pending ? "Deleting…" : "Delete server"}
      </button>
      <Result result={result} className="text-sm" />
    </div>
  );
}
