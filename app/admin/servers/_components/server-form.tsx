"use client";

import { startTransition, useActionState, useEffect, useRef, useState } from "react";
import { Field, FormMessage, SelectField, SubmitButton, TextAreaField } from "@/app/_components/form";
import { type FormState, idleState } from "@/lib/auth/form-state";
import { type ServerFormValues, templatedFormValues } from "@/lib/servers/form";
import { ISOLATION_BY_TYPE } from "@/lib/servers/isolation";
import { type TemplateNeeds, templateNeeds } from "@/lib/servers/needs";
import type { ServerType } from "@/lib/servers/schemas";
import type { ServerSaveData, ServerTestData } from "../action-types";
import { createServerAction, testServerAction, updateServerAction } from "../actions";
import { TemplateNeedsPanel } from "./template-needs";
import { TestResult } from "./test-result";

const typeLabels: Record<ServerType, string> = {
  stdio: "stdio: a command the hub runs",
  "streamable-http": "streamable-http: a remote server",
  sse: "sse: a remote server (older transport)",
  builtin: "builtin: GitHub or Notion, served by the hub",
};

const isolationLabels: Record<string, string> = {
  none: "none: one upstream shared by everyone",
  token: "token: a connection per person, with their credentials",
  process: "process: a process per person, with a private home folder",
  builtin: "builtin: served by the hub",
};

const FIELDS = [
  "name",
  "description",
  "type",
  "command",
  "args",
  "env",
  "url",
  "headers",
  "builtin",
  "isolation",
  "riskLevel",
  "toolPrefix",
  "callTimeoutMs",
  "listTimeoutMs",
  "idleTimeoutMs",
  "contextHeaders",
  "protocolVersion",
];

function needsOf(form: HTMLFormElement | null, fallback: ServerFormValues): TemplateNeeds {
  if (!form) return templateNeeds(templatedFormValues(fallback));
  const data = new FormData(form);
  const text = (key: string) => String(data.get(key) ?? "");
  return templateNeeds(
    templatedFormValues({
      type: text("type") as ServerType,
      args: text("args"),
      env: text("env"),
      url: text("url"),
      headers: text("headers"),
      builtin: text("builtin"),
    }),
  );
}

type Props = { mode: "create" | "edit"; initial: ServerFormValues };

/**
 * The whole configuration of one server. Save and Test connection send the same fields; the
 * fields of every type stay in the form (hidden) so switching type back loses nothing.
 */
export function ServerForm({ mode, initial }: Props) {
  const formRef = useRef<HTMLFormElement>(null);
  const [saveState, save, saving] = useActionState(
    mode === "create" ? createServerAction : updateServerAction,
    idleState as FormState<ServerSaveData>,
  );
  const [testState, test, testing] = useActionState(testServerAction, idleState as FormState<ServerTestData>);
  const [intent, setIntent] = useState<"save" | "test">("save");
  const [type, setType] = useState<ServerType>(initial.type);
  const [isolation, setIsolation] = useState(initial.isolation);
  const [noPrefix, setNoPrefix] = useState(initial.noPrefix);
  const [needs, setNeeds] = useState<TemplateNeeds>(() => needsOf(null, initial));
  const state = intent === "test" ? testState : saveState;
  const validationState = state.status === "error" && state.fieldErrors ? state : idleState;

  // A new server's form starts over once it is saved (and only then, not on every re-render).
  const initialRef = useRef(initial);
  useEffect(() => {
    if (mode !== "create" || saveState.status !== "success") return;
    const start = initialRef.current;
    formRef.current?.reset();
    setType(start.type);
    setIsolation(start.isolation);
    setNoPrefix(start.noPrefix);
    setNeeds(needsOf(null, start));
  }, [mode, saveState]);

  const onSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const data = new FormData(event.currentTarget, submitter);
    const next = data.get("intent") === "test" ? "test" : "save";
    setIntent(next);
    startTransition(() => (next === "test" ? test(data) : save(data)));
  };

  const allowed = ISOLATION_BY_TYPE[type];
  const busy = saving || testing;
  const id = mode === "create" ? "new-server" : "edit-server";

  return (
    <form
      ref={formRef}
      onSubmit={onSubmit}
      onChange={(event) => setNeeds(needsOf(event.currentTarget, initial))}
      className="space-y-6"
      noValidate
      aria-label={mode === "create" ? "Add a server" : "Edit server"}
      data-testid="server-form"
    >
      {mode === "edit" && <input type="hidden" name="originalName" value={initial.name} />}
      {intent === "save" && <FormMessage state={saveState} fields={FIELDS} />}
      {intent === "save" && saveState.status === "success" && (saveState.data?.warnings.length ?? 0) > 0 && (
        <ul
          className="list-disc space-y-1 rounded-lg bg-amber-50 py-2 pr-3 pl-8 text-sm text-amber-900"
          data-testid="server-warnings"
        >
          {saveState.data?.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      {intent === "test" && testState.status === "error" && testState.fieldErrors && (
        <FormMessage state={testState} fields={FIELDS} />
      )}

      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-3 text-sm font-semibold text-slate-800">Basics</legend>
        <Field
          label="Name"
          name="name"
          id={`${id}-name`}
          defaultValue={initial.name}
          state={validationState}
          required
          autoComplete="off"
          hint="Letters, digits, '.', '_' or '-'. It names the server's tools and appears in URLs."
        />
        <SelectField
          label="Type"
          name="type"
          id={`${id}-type`}
          value={type}
          state={validationState}
          onChange={(event) => {
            const next = event.target.value as ServerType;
            setType(next);
            if (isolation && !ISOLATION_BY_TYPE[next].includes(isolation as never)) setIsolation("");
          }}
        >
          {(Object.keys(typeLabels) as ServerType[]).map((value) => (
            <option key={value} value={value}>
              {typeLabels[value]}
            </option>
          ))}
        </SelectField>
        <div className="sm:col-span-2">
          <Field
            label="Description"
            name="description"
            id={`${id}-description`}
            defaultValue={initial.description}
            state={validationState}
            hint="Optional: what its tools are for, shown to people choosing groups."
          />
        </div>
      </fieldset>

      <fieldset hidden={type !== "stdio"} className="space-y-4">
        <legend className="mb-3 text-sm font-semibold text-slate-800">How the hub starts it</legend>
        <Field
          label="Command"
          name="command"
          id={`${id}-command`}
          defaultValue={initial.command}
          state={validationState}
          placeholder="npx"
          autoComplete="off"
          hint="The program the hub starts, such as npx, uvx or node. It runs on the hub's machine."
        />
        <div className="grid gap-4 lg:grid-cols-2">
          <TextAreaField
            label="Arguments, one per line"
            name="args"
            id={`${id}-args`}
            defaultValue={initial.args}
            state={validationState}
            rows={4}
            placeholder={`-y\n@modelcontextprotocol/server-filesystem\n\${MCPHUB_USER_HOME}`}
          />
          <TextAreaField
            label="Environment, KEY=value per line"
            name="env"
            id={`${id}-env`}
            defaultValue={initial.env}
            state={validationState}
            rows={4}
            placeholder={`GITHUB_TOKEN=\${USER_GITHUB_TOKEN}`}
            hint="The process gets only these and a minimal PATH, never the hub's own environment."
          />
        </div>
      </fieldset>

      <fieldset hidden={type !== "sse" && type !== "streamable-http"} className="space-y-4">
        <legend className="mb-3 text-sm font-semibold text-slate-800">Connection</legend>
        <Field
          label="URL"
          name="url"
          id={`${id}-url`}
          type="url"
          defaultValue={initial.url}
          state={validationState}
          placeholder="https://mcp.example.com/mcp"
          autoComplete="off"
        />
        <TextAreaField
          label="Headers, Name: value per line"
          name="headers"
          id={`${id}-headers`}
          defaultValue={initial.headers}
          state={validationState}
          rows={3}
          placeholder={`Authorization: Bearer \${USER_NOTION_TOKEN}`}
        />
        <label className="flex items-start gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            name="contextHeaders"
            defaultChecked={initial.contextHeaders}
            className="mt-0.5 size-4 rounded border-slate-300"
          />
          <span>
            Send <code className="font-mono text-xs">X-MCPHub-User-Id</code> and{" "}
            <code className="font-mono text-xs">X-MCPHub-Request-Id</code> with every request
          </span>
        </label>
      </fieldset>

      <fieldset hidden={type !== "builtin"}>
        <legend className="mb-3 text-sm font-semibold text-slate-800">Built-in tools</legend>
        <SelectField
          label="Built-in"
          name="builtin"
          id={`${id}-builtin`}
          defaultValue={initial.builtin}
          state={validationState}
          hint="Each person's linked GitHub or Notion account is used for their calls."
        >
          <option value="github">GitHub</option>
          <option value="notion">Notion</option>
        </SelectField>
      </fieldset>

      <TemplateNeedsPanel needs={needs} />

      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-3 text-sm font-semibold text-slate-800">Safety and naming</legend>
        <SelectField
          label="Isolation"
          name="isolation"
          id={`${id}-isolation`}
          value={isolation}
          onChange={(event) => setIsolation(event.target.value)}
          state={validationState}
          hint="Automatic picks process for high-risk or per-person stdio servers and token for remote servers with per-person values."
        >
          <option value="">Automatic</option>
          {allowed.map((value) => (
            <option key={value} value={value}>
              {isolationLabels[value]}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Risk level"
          name="riskLevel"
          id={`${id}-riskLevel`}
          defaultValue={initial.riskLevel}
          state={validationState}
          hint="Critical servers can only be placed in restricted groups."
        >
          <option value="low">low</option>
          <option value="medium">medium</option>
          <option value="high">high</option>
          <option value="critical">critical</option>
        </SelectField>
        <div>
          <Field
            label="Tool prefix"
            name="toolPrefix"
            id={`${id}-toolPrefix`}
            defaultValue={initial.toolPrefix}
            state={validationState}
            disabled={noPrefix}
            placeholder="the server's name"
            autoComplete="off"
            hint="Clients see <prefix>-<tool>. Empty: the server's name."
          />
          <label className="mt-2 flex items-center gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              name="noPrefix"
              checked={noPrefix}
              onChange={(event) => setNoPrefix(event.target.checked)}
              className="size-4 rounded border-slate-300"
            />
            No prefix: expose the tools under their own names
          </label>
        </div>
        {mode === "create" && (
          <label className="flex items-center gap-2 self-start text-sm text-slate-700 sm:mt-7">
            <input
              type="checkbox"
              name="enabled"
              defaultChecked={initial.enabled}
              className="size-4 rounded border-slate-300"
            />
            Enabled: offer it as soon as it is in a group
          </label>
        )}
      </fieldset>

      <details
        className="rounded-lg border border-slate-200 px-4 py-3"
        open={Boolean(
          initial.callTimeoutMs || initial.listTimeoutMs || initial.idleTimeoutMs || initial.protocolVersion,
        )}
      >
        <summary className="cursor-pointer text-sm font-semibold text-slate-800">
          Timeouts and protocol
        </summary>
        <div className="mt-4 grid gap-4 sm:grid-cols-2">
          <Field
            label="Tool call timeout (ms)"
            name="callTimeoutMs"
            id={`${id}-callTimeoutMs`}
            type="number"
            inputMode="numeric"
            min={100}
            max={600000}
            defaultValue={initial.callTimeoutMs}
            state={validationState}
            placeholder="the hub's default"
          />
          <Field
            label="Connect and list timeout (ms)"
            name="listTimeoutMs"
            id={`${id}-listTimeoutMs`}
            type="number"
            inputMode="numeric"
            min={100}
            max={600000}
            defaultValue={initial.listTimeoutMs}
            state={validationState}
            placeholder="the hub's default"
          />
          <Field
            label="Idle time of a person's process (ms, stdio with isolation process)"
            name="idleTimeoutMs"
            id={`${id}-idleTimeoutMs`}
            type="number"
            inputMode="numeric"
            min={1000}
            max={86400000}
            defaultValue={initial.idleTimeoutMs}
            state={validationState}
            placeholder="10 minutes (MCPHUB_PROCESS_IDLE_MS)"
          />
          <SelectField
            label="MCP revision spoken to the server (stdio, streamable HTTP)"
            name="protocolVersion"
            id={`${id}-protocolVersion`}
            defaultValue={initial.protocolVersion}
            state={validationState}
            hint="2026-07-28 passes the server's own input_required results to clients; the server must offer that revision. Ask the server: 2026-07-28 when it offers it, 2025-11-25 otherwise (one extra exchange per connection; over stdio, a throwaway second start)."
          >
            <option value="">2025-11-25 (every server)</option>
            <option value="2026-07-28">2026-07-28</option>
            <option value="auto">Ask the server</option>
          </SelectField>
        </div>
      </details>

      <div className="flex flex-wrap items-center gap-3 border-t border-slate-100 pt-4">
        <SubmitButton name="intent" value="save" pending={saving} disabled={busy} pendingText="Saving…">
          {mode === "create" ? "Add server" : "Save changes"}
        </SubmitButton>
        <SubmitButton
          name="intent"
          value="test"
          className="btn-secondary"
          pending={testing}
          disabled={busy}
          pendingText="Connecting…"
        >
          Test connection
        </SubmitButton>
        <p className="text-xs text-slate-500">
          Test connection tries the form as it is, without saving.
          {mode === "create" ? " Adding the server lists its tools." : ""}
        </p>
      </div>

      {intent === "test" && !(testState.status === "error" && testState.fieldErrors) && (
        <TestResult state={testState} pending={testing} />
      )}
    </form>
  );
}
