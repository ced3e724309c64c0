"use client";

import { useState, useTransition } from "react";
import type { FormState } from "@/lib/auth/form-state";
import { changeRoleAction, deleteUserAction, setDisabledAction } from "../actions";

type Props = { userId: string; email: string; role: "admin" | "user"; disabled: boolean; isSelf: boolean };

export function UserRowActions({ userId, email, role, disabled, isSelf }: Props) {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<FormState>({ status: "idle" });
  const run = (action: () => Promise<FormState>) => startTransition(async () => setResult(await action()));

  return (
    <div className="flex flex-col items-start gap-1 sm:items-end">
      <div className="flex flex-wrap gap-2 sm:justify-end">
        <button
          type="button"
          className="btn-secondary px-2 py-1 text-xs"
          disabled={pending || isSelf}
          onClick={() => run(() => changeRoleAction(userId, role === "admin" ? "user" : "admin"))}
        >
          {role === "admin" ? "Make user" : "Make admin"}
        </button>
        <button
          type="button"
          className="btn-secondary px-2 py-1 text-xs"
          disabled={pending || isSelf}
          onClick={() => run(() => setDisabledAction(userId, !disabled))}
        >
          {disabled ? "Enable" : "Disable"}
        </button>
        <button
          type="button"
          className="btn-danger px-2 py-1 text-xs"
          disabled={pending || isSelf}
          onClick={() => {
            if (window.confirm(`Delete ${email} and all of their keys? This cannot be undone.`))
              run(() => deleteUserAction(userId));
          }}
        >
          Delete
        </button>
      </div>
      {result.status === "error" && (
        <p role="alert" className="text-xs text-red-700">
          {result.message}
        </p>
      )}
    </div>
  );
}
