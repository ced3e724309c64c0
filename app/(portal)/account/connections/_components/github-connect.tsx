"use client";

import { useActionState, useState, useTransition } from "react";
import { FormMessage, SubmitButton } from "@/app/_components/form";
import { type FormState, idleState } from "@/lib/auth/form-state";
import { connectGithubAction, disconnectGithubAction } from "../actions";

/** GitHub's OAuth flow as an alternative to pasting a token; a token it issued is revoked on disconnect. */
export function GithubConnect({ linked, viaOauth }: { linked: boolean; viaOauth: boolean }) {
  const [state, connect] = useActionState(connectGithubAction, idleState);
  const [disconnected, setDisconnected] = useState<FormState>(idleState);
  const [pending, start] = useTransition();
  return (
    <div className="mb-3 space-y-2 border-b border-slate-100 pb-3">
      <div className="flex flex-wrap items-center gap-2">
        <form action={connect}>
          <SubmitButton className="btn-secondary" pendingText="Opening GitHub…">
            {viaOauth ? "Reconnect GitHub" : "Connect GitHub"}
          </SubmitButton>
        </form>
        {linked && viaOauth && (
          <button
            type="button"
            className="btn-danger"
            disabled={pending}
            onClick={() => start(async () => setDisconnected(await disconnectGithubAction()))}
          >
            Disconnect GitHub
          </button>
        )}
        <span className="text-xs text-slate-500">
          {viaOauth
            ? "Linked through GitHub's sign-in; or paste a token below instead."
            : "Approve MCPHub on GitHub, or paste a personal access token below."}
        </span>
      </div>
      <FormMessage state={state} />
      <FormMessage state={disconnected} />
    </div>
  );
}
