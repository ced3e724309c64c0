"use client";

import { useEffect, useRef } from "react";
import { CopyButton } from "@/app/_components/copy-button";
import { Field, FormMessage, SubmitButton, useFormAction } from "@/app/_components/form";
import { KEY_PLACEHOLDER } from "@/lib/keys/client-config";
import { createKeyAction } from "../actions";
import { ClientConfigs } from "./client-configs";

/**
 * Creating a key and the client snippets share one state: right after creation the snippets are
 * filled with the new key, which exists only in this page's memory and is gone on reload.
 */
export function KeysWorkspace({ endpoint, keyList }: { endpoint: string; keyList: React.ReactNode }) {
  const { state, pending, onSubmit } = useFormAction(createKeyAction);
  const formRef = useRef<HTMLFormElement>(null);
  const fresh = state.status === "success" ? state.data : undefined;
  useEffect(() => {
    if (state.status === "success") formRef.current?.reset();
  }, [state]);

  return (
    <div className="grid gap-6 lg:grid-cols-5">
      <div className="min-w-0 space-y-6 lg:col-span-2">
        <section className="card" aria-labelledby="create-key">
          <h2 id="create-key" className="mb-1 font-semibold">
            Create a key
          </h2>
          <p className="mb-4 text-sm text-slate-600">
            Use one key per client or machine, so you can revoke one without touching the others.
          </p>
          {fresh ? (
            <div
              className="mb-4 space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4"
              data-testid="new-key"
            >
              <p className="text-sm font-semibold text-amber-900" role="status">
                Copy your new key {fresh.name} now: it will not be shown again.
              </p>
              <p className="text-xs text-amber-900">
                The hub keeps only a fingerprint of it. If you lose it, revoke it and create another.
              </p>
              <div className="flex flex-col gap-2 sm:flex-row">
                <input
                  readOnly
                  value={fresh.key}
                  aria-label="Your new key"
                  className="input font-mono text-xs"
                  onFocus={(event) => event.currentTarget.select()}
                  data-testid="new-key-value"
                />
                <CopyButton
                  text={fresh.key}
                  label="Copy key"
                  className="btn-primary shrink-0 px-3 py-1.5 text-xs"
                />
              </div>
            </div>
          ) : (
            state.status === "error" && <FormMessage state={state} fields={["name", "expiresAt"]} />
          )}
          <form ref={formRef} onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Create key">
            <Field
              label="Name"
              name="name"
              id="key-name"
              state={state}
              required
              autoComplete="off"
              placeholder="Laptop, Claude Desktop"
              maxLength={100}
            />
            <Field
              label="Expires on (optional)"
              name="expiresAt"
              id="key-expires"
              type="date"
              state={state}
              hint="Leave empty for a key that works until you revoke it. It stops at the start of that day (UTC)."
            />
            <SubmitButton pending={pending} pendingText="Creating…">
              Create key
            </SubmitButton>
          </form>
        </section>
        {keyList}
      </div>
      <section className="card min-w-0 lg:col-span-3" aria-labelledby="connect">
        <h2 id="connect" className="mb-1 font-semibold">
          Connect a client
        </h2>
        <p className="mb-4 text-sm text-slate-600">
          {fresh ? (
            "These snippets hold your new key now. Paste one into your client before you leave this page."
          ) : (
            <>
              Paste one of these into your MCP client and put your key where it says{" "}
              <code className="whitespace-nowrap font-mono text-xs">{KEY_PLACEHOLDER}</code>.
            </>
          )}
        </p>
        <ClientConfigs endpoint={endpoint} secret={fresh?.key} />
      </section>
    </div>
  );
}
