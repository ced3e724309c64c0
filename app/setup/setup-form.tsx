"use client";

import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/app/_components/form";
import { idleState } from "@/lib/auth/form-state";
import { completeSetupAction } from "./actions";

export function SetupForm() {
  const [state, action] = useActionState(completeSetupAction, idleState);
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage state={state} />
      <Field
        label="Setup code"
        name="code"
        autoComplete="one-time-code"
        placeholder="ABCD-EFGH-JKLM"
        required
        state={state}
        hint="Printed in the server log when the hub started."
      />
      <Field label="Your email" name="email" type="email" autoComplete="username" required state={state} />
      <Field label="Your name" name="name" autoComplete="name" state={state} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        state={state}
        hint="At least 8 characters."
      />
      <SubmitButton pendingText="Creating…" className="btn-primary w-full">
        Create admin account
      </SubmitButton>
    </form>
  );
}
