"use client";

import { Field, FormMessage, SubmitButton, useFormAction } from "@/app/_components/form";
import type { Retention } from "@/lib/audit/retention";
import { setRetentionAction } from "../actions";

/** The audit log's retention; read-only while MCPHUB_AUDIT_RETENTION_DAYS decides. */
export function RetentionForm({ retention }: { retention: Retention }) {
  const { state, pending, onSubmit } = useFormAction(setRetentionAction);
  const fromEnv = retention.source === "env";
  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label="Audit retention">
      <Field
        label="Keep calls and admin changes for (days)"
        name="days"
        type="number"
        min={1}
        max={3650}
        required
        state={state}
        defaultValue={String(retention.days)}
        disabled={fromEnv}
        hint={
          fromEnv
            ? "Set by MCPHUB_AUDIT_RETENTION_DAYS in the hub's environment."
            : retention.source === "default"
              ? "The default; older rows are deleted every hour."
              : "Older rows are deleted every hour."
        }
      />
      <FormMessage state={state} fields={["days"]} />
      <SubmitButton pending={pending} disabled={fromEnv || pending} pendingText="Saving…">
        Save retention
      </SubmitButton>
    </form>
  );
}
