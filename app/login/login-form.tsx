"use client";

import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/app/_components/form";
import { idleState } from "@/lib/auth/form-state";
import { signInWithPassword } from "./actions";

export function LoginForm({ next }: { next?: string }) {
  const [state, action] = useActionState(signInWithPassword, idleState);
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage state={state} />
      <Field label="Email" name="email" type="email" autoComplete="username" required state={state} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        state={state}
      />
      {next && <input type="hidden" name="next" value={next} />}
      <SubmitButton pendingText="Signing in…" className="btn-primary w-full">
        Sign in
      </SubmitButton>
    </form>
  );
}
