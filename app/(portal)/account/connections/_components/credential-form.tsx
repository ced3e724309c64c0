"use client";

import { useActionState, useState, useTransition } from "react";
import { FormMessage, SubmitButton } from "@/app/_components/form";
import { type FormState, idleState } from "@/lib/auth/form-state";
import { removeCredentialAction, setCredentialAction } from "../actions";

/** Write-only: the saved value never comes back to the browser, only its hint. */
export function CredentialForm({ name, linked }: { name: string; linked: boolean }) {
  const [state, action] = useActionState(setCredentialAction.bind(null, name), idleState);
  const [removed, setRemoved] = useState<FormState>(idleState);
  const [pending, start] = useTransition();
  const errors = state.status === "error" ? state.fieldErrors?.value : undefined;
  return (
    <div className="space-y-2">
      <form
        action={action}
        className="flex flex-col gap-2 sm:flex-row sm:items-start"
        aria-label={`Set ${name}`}
      >
        <div className="flex-1">
          <label htmlFor={`value-${name}`} className="sr-only">
            {linked ? `New value for ${name}` : `Value for ${name}`}
          </label>
          <input
            id={`value-${name}`}
            name="value"
            type="password"
            autoComplete="off"
            className="input"
            placeholder={linked ? "Paste a new value to replace it" : "Paste your token"}
            aria-invalid={errors ? true : undefined}
          />
          {errors && <p className="mt-1 text-sm text-red-700">{errors.join(". ")}</p>}
        </div>
        <SubmitButton pendingText="Saving…">{linked ? "Replace" : "Link"}</SubmitButton>
        {linked && (
          <button
            type="button"
            className="btn-danger"
            disabled={pending}
            onClick={() => start(async () => setRemoved(await removeCredentialAction(name)))}
          >
            Remove
          </button>
        )}
      </form>
      <FormMessage state={state.status === "error" && errors ? idleState : state} />
      <FormMessage state={removed} />
    </div>
  );
}
