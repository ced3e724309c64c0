"use client";

import { useState, useTransition } from "react";
import type { FormState } from "@/lib/auth/form-state";
import { restartProcessAction, stopProcessAction } from "../actions";

export function ProcessActions({ id, label }: { id: string; label: string }) {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<FormState>({ status: "idle" });
  const run = (action: () => Promise<FormState>) => startTransition(async () => setResult(await action()));
  return (
    <div className="flex flex-col items-start gap-1 sm:items-end">
      <div className="flex flex-wrap gap-2 sm:justify-end">
        <button
          type="button"
          className="btn-secondary px-2 py-1 text-xs"
          disabled={pending}
          aria-label={`Restart ${label}`}
          onClick={() => run(() => restartProcessAction(id))}
        >
          Restart
        </button>
        <button
          type="button"
          className="btn-danger px-2 py-1 text-xs"
          disabled={pending}
          aria-label={`Stop ${label}`}
          onClick={() => run(() => stopProcessAction(id))}
        >
          Stop
        </button>
      </div>
      {result.status !== "idle" && (
        <p role={result.status === "error" ? "alert" : "status"} className="text-xs text-slate-600">
          {result.message}
        </p>
      )}
    </div>
  );
}
