"use client";

import { useState, useTransition } from "react";
import type { FormState } from "@/lib/auth/form-state";
import { leaveGroupAction, setGroupActiveAction } from "../actions";

type Props = { name: string; member: boolean; active: boolean; restricted: boolean };

/** Join, activate, deactivate or leave one group. */
export function MembershipActions({ name, member, active, restricted }: Props) {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<FormState>({ status: "idle" });
  const run = (action: () => Promise<FormState>) => startTransition(async () => setResult(await action()));

  return (
    <div className="flex flex-col items-start gap-2 sm:items-end">
      <div className="flex flex-wrap gap-2">
        {!member && (
          <button
            type="button"
            className="btn-primary px-3 py-1.5"
            disabled={pending}
            onClick={() => run(() => setGroupActiveAction(name, true))}
          >
            {pending ? "Joining…" : "Join and activate"}
          </button>
        )}
        {member && (
          <button
            type="button"
            className={active ? "btn-secondary px-3 py-1.5" : "btn-primary px-3 py-1.5"}
            disabled={pending}
            onClick={() => run(() => setGroupActiveAction(name, !active))}
          >
            {pending ? "Saving…" : active ? "Deactivate" : "Activate"}
          </button>
        )}
        {member && !restricted && (
          <button
            type="button"
            className="btn-danger px-3 py-1.5"
            disabled={pending}
            onClick={() => {
              if (window.confirm(`Leave ${name}? You can join it again later.`))
                run(() => leaveGroupAction(name));
            }}
          >
            Leave
          </button>
        )}
      </div>
      {result.status !== "idle" && (
        <p
          role={result.status === "error" ? "alert" : "status"}
          className={`text-xs ${result.status === "error" ? "text-red-700" : "text-green-700"}`}
        >
          {result.message}
        </p>
      )}
    </div>
  );
}
