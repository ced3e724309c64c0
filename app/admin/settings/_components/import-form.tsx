"use client";

import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/app/_components/form";
import type { FormState } from "@/lib/auth/form-state";
import type { ImportOutcome } from "@/lib/settings/settings-file";
import { importSettingsAction } from "../actions";

const statusStyle: Record<ImportOutcome["status"], string> = {
  created: "bg-green-50 text-green-800",
  updated: "bg-blue-50 text-blue-800",
  unchanged: "bg-slate-100 text-slate-700",
  refused: "bg-red-50 text-red-800",
};

export function ImportForm() {
  const [state, action] = useActionState(importSettingsAction, { status: "idle" } as FormState<
    ImportOutcome[]
  >);
  const errors = state.status === "error" ? state.fieldErrors?.file : undefined;
  const outcomes = state.status === "success" ? state.data : undefined;
  return (
    <div className="space-y-4">
      <form action={action} className="space-y-3" aria-label="Import settings">
        <div>
          <label htmlFor="import-file" className="label">
            mcp_settings.json
          </label>
          <input
            id="import-file"
            name="file"
            type="file"
            accept="application/json,.json"
            className="block text-sm"
            aria-invalid={errors ? true : undefined}
          />
          {errors && <p className="mt-1 text-sm text-red-700">{errors.join(". ")}</p>}
        </div>
        <div>
          <label htmlFor="import-json" className="label">
            …or paste it
          </label>
          <textarea
            id="import-json"
            name="json"
            className="input min-h-32 font-mono text-xs"
            spellCheck={false}
            placeholder='{"mcpServers": {…}, "groups": […]}'
          />
        </div>
        <SubmitButton pendingText="Importing…">Import</SubmitButton>
      </form>
      <FormMessage state={state.status === "error" && errors ? { status: "idle" } : state} />
      {outcomes && outcomes.length > 0 && (
        <ul
          className="divide-y divide-slate-100 rounded-lg border border-slate-200"
          data-testid="import-report"
        >
          {outcomes.map((outcome) => (
            <li
              key={`${outcome.kind}:${outcome.name}`}
              className="flex flex-col gap-1 px-3 py-2 text-sm sm:flex-row sm:items-start sm:gap-3"
              data-status={outcome.status}
            >
              <span className={`w-fit rounded px-2 py-0.5 text-xs ${statusStyle[outcome.status]}`}>
                {outcome.status}
              </span>
              <span className="font-medium">
                {outcome.kind} {outcome.name}
              </span>
              {outcome.messages.length > 0 && (
                <span className="text-slate-600">{outcome.messages.join("; ")}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
