"use client";

import { useState, useTransition } from "react";
import { fieldMessages, SubmitButton, useFormAction } from "@/app/_components/form";
import type { FormState } from "@/lib/auth/form-state";
import { deleteLimitAction, updateLimitAction } from "../actions";

/** Change one limit's number in place, or delete it. */
export function LimitRowActions({
  id,
  label,
  callsPerMinute,
}: {
  id: string;
  label: string;
  callsPerMinute: number;
}) {
  const { state, pending, onSubmit } = useFormAction(updateLimitAction);
  const [deleting, startTransition] = useTransition();
  const [deleted, setDeleted] = useState<FormState>({ status: "idle" });
  const errors = fieldMessages(state, "callsPerMinute");
  const message =
    deleted.status === "error"
      ? deleted.message
      : state.status !== "idle" && !errors
        ? state.message
        : undefined;
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center gap-2">
        <form
          onSubmit={onSubmit}
          className="flex items-center gap-2"
          aria-label={`Change the limit of ${label}`}
        >
          <input type="hidden" name="id" value={id} />
          <input
            name="callsPerMinute"
            type="number"
            min={1}
            max={1_000_000}
            step={1}
            required
            defaultValue={String(callsPerMinute)}
            aria-label={`Calls per minute for ${label}`}
            aria-invalid={errors ? true : undefined}
            className="input w-28 py-1"
          />
          <SubmitButton pending={pending} pendingText="Saving…" className="btn-secondary px-2 py-1 text-xs">
            Save
          </SubmitButton>
        </form>
        <button
          type="button"
          className="btn-danger px-2 py-1 text-xs"
          disabled={deleting}
          aria-label={`Delete the limit of ${label}`}
          onClick={() => {
            if (window.confirm(`Delete the limit of ${label}?`))
              startTransition(async () => setDeleted(await deleteLimitAction(id)));
          }}
        >
          {deleting ? "Deleting…" : "Delete"}
        </button>
      </div>
      {errors && (
        <p role="alert" className="text-xs text-red-700">
          {errors.join(" ")}
        </p>
      )}
      {message && (
        <p
          role={deleted.status === "error" || state.status === "error" ? "alert" : "status"}
          className="text-xs text-slate-600"
        >
          {message}
        </p>
      )}
    </div>
  );
}
