"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import { Field, FormMessage, SubmitButton, useFormAction } from "@/app/_components/form";
import type { FormState } from "@/lib/auth/form-state";
import { addMemberAction, removeMemberAction } from "../actions";

export type MemberView = {
  userId: string;
  email: string;
  name: string | null;
  active: boolean;
  joined: string;
};

/** A group's members: add one by email, remove one. */
export function Members({
  groupName,
  members,
  restricted,
}: {
  groupName: string;
  members: MemberView[];
  restricted: boolean;
}) {
  const { state, pending, onSubmit } = useFormAction(addMemberAction);
  const [removing, startTransition] = useTransition();
  const [removeResult, setRemoveResult] = useState<FormState>({ status: "idle" });
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.status === "success") formRef.current?.reset();
  }, [state]);

  return (
    <div className="space-y-4">
      {members.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="members-empty">
          {restricted
            ? "Nobody yet. Add the people who should have these tools; they find the group on their Groups page."
            : "Nobody has joined yet. People join public groups themselves on their Groups page."}
        </p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200">
          {members.map((member) => (
            <li
              key={member.userId}
              className="flex flex-wrap items-center gap-2 px-3 py-2 text-sm"
              data-testid="member-row"
              data-email={member.email}
            >
              <div className="min-w-0 flex-1">
                <div className="truncate font-medium">{member.email}</div>
                <div className="text-xs text-slate-500">
                  {member.active ? "Active" : "Inactive"} · joined {member.joined}
                </div>
              </div>
              <button
                type="button"
                className="btn-danger px-2 py-1 text-xs"
                disabled={removing}
                onClick={() =>
                  startTransition(async () =>
                    setRemoveResult(await removeMemberAction(groupName, member.userId)),
                  )
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {removeResult.status === "error" && (
        <p role="alert" className="text-sm text-red-700">
          {removeResult.message}
        </p>
      )}
      <form ref={formRef} onSubmit={onSubmit} className="space-y-3" noValidate aria-label="Add member">
        <input type="hidden" name="groupName" value={groupName} />
        <FormMessage state={state} fields={["email"]} />
        <Field
          label="Add a person by email"
          name="email"
          id="member-email"
          type="email"
          autoComplete="off"
          state={state}
          placeholder="ada@example.com"
          hint="They need an account on this hub; their membership starts active."
        />
        <SubmitButton pending={pending} pendingText="Adding…" className="btn-secondary">
          Add member
        </SubmitButton>
      </form>
    </div>
  );
}
