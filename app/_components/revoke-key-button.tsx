"use client";

import { useState, useTransition } from "react";
import type { FormState } from "@/lib/auth/form-state";

/** Revokes one key after a confirmation; `revoke` is the server action for the caller's role. */
export function RevokeKeyButton({
  keyId,
  label,
  revoke,
}: {
  keyId: string;
  label: string;
  revoke: (keyId: string) => Promise<FormState>;
}) {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<FormState>({ status: "idle" });
  return (
    <span className="inline-flex flex-col items-end gap-1">
      <button
        type="button"
        className="btn-danger px-2 py-1 text-xs"
        disabled={pending}
        onClick={() => {
          if (window.confirm(`Revoke ${label}? Clients using it stop working at once.`)) {
            startTransition(async () => setResult(await revoke(keyId)));
          }
        }}
      >
        {pending ? "Revoking…" : "Revoke"}
      </button>
      {result.status === "error" && (
        <span role="alert" className="text-xs text-red-700">
          {result.message}
        </span>
      )}
    </span>
  );
}
