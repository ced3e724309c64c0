"use client";

import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/app/_components/form";
import { idleState } from "@/lib/auth/form-state";
import { createUserAction } from "../actions";

export function CreateUserForm() {
  const [state, action] = useActionState(createUserAction, idleState);
  // A select ignores a changed defaultValue, so a refused form re-creates it with the chosen role.
  const role = (state.status === "error" && state.values?.role) || "user";
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Create user">
      <FormMessage state={state} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Email" name="email" type="email" required state={state} />
        <Field label="Name" name="name" state={state} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          state={state}
          hint="At least 8 characters. Leave empty for people who sign in with GitHub or SSO."
        />
        <div>
          <label htmlFor="field-role" className="label">
            Role
          </label>
          <select key={role} id="field-role" name="role" className="input" defaultValue={role}>
            <option value="user">User</option>
            <option value="admin">Admin</option>
          </select>
        </div>
      </div>
      <SubmitButton pendingText="Creating…">Create user</SubmitButton>
    </form>
  );
}
