"use client";

import { useState, useTransition } from "react";
import type { FormState } from "@/lib/auth/form-state";
import { deleteGroupAction } from "../actions";

export function DeleteGroupButton({ name, members }: { name: string; members: number }) {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<FormState>({ status: "idle" });
  return (
    <div className="space-y-2">
      <button
        type="button"
        className="btn-danger"
        disabled={pending}
        onClick={() => {
          const who =
            members > 0 ? ` Its ${members} member${members === 1 ? "" : "s"} lose its tools at once.` : "";
          if (window.confirm(`Delete the group ${name}?${who}`)) {
            startTransition(async () => setResult(await deleteGroupAction(name)));
          }
        }}
      >
        {pending ? "Deleting…" : "Delete group"}
      </button>
      {result.status === "error" && (
        <p role="alert" className="text-sm text-red-700">
          {result.message}
        </p>
      )}
    </div>
  );
}
