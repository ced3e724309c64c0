"use client";

import { useEffect, useRef, useState } from "react";
import { Badge } from "@/app/_components/badge";
import { Field, FormMessage, fieldMessages, SubmitButton, useFormAction } from "@/app/_components/form";
import { toolModeField, toolsField } from "@/lib/groups/form";
import type { ExposedTool } from "@/lib/servers/describe";
import { createGroupAction, updateGroupAction } from "../actions";

export type ServerOption = {
  name: string;
  type: string;
  enabled: boolean;
  riskLevel: "low" | "medium" | "high" | "critical";
  description: string | null;
  /** The tools as last listed, with exposed names; null when never listed. */
  tools: ExposedTool[] | null;
};

export type GroupFormValues = {
  name: string;
  description: string;
  visibility: "public" | "restricted";
  servers: Array<{ name: string; tools: string[] | null }>;
};

export const emptyGroupForm: GroupFormValues = {
  name: "",
  description: "",
  visibility: "public",
  servers: [],
};

const FIELDS = ["name", "description", "visibility", "servers"];

type Props = { mode: "create" | "edit"; initial: GroupFormValues; servers: ServerOption[] };

/** Name, visibility, servers and, per server, all of its tools or a chosen few. */
export function GroupForm({ mode, initial, servers }: Props) {
  const { state, pending, onSubmit } = useFormAction(
    mode === "create" ? createGroupAction : updateGroupAction,
  );
  const formRef = useRef<HTMLFormElement>(null);
  const initialRef = useRef(initial);
  const [selected, setSelected] = useState(() => new Set(initial.servers.map((s) => s.name)));
  const [modes, setModes] = useState<Record<string, "all" | "some">>(() =>
    Object.fromEntries(initial.servers.map((s) => [s.name, s.tools ? "some" : "all"])),
  );
  const chosenTools = new Map(initial.servers.map((s) => [s.name, s.tools]));
  const id = mode === "create" ? "new-group" : "edit-group";

  useEffect(() => {
    if (mode !== "create" || state.status !== "success") return;
    formRef.current?.reset();
    setSelected(new Set(initialRef.current.servers.map((s) => s.name)));
    setModes({});
  }, [mode, state]);

  // Messages about the set as a whole (collisions, unknown servers); per-server ones sit by their server.
  const serverErrors = state.status === "error" ? state.fieldErrors?.servers : undefined;

  return (
    <form
      ref={formRef}
      onSubmit={onSubmit}
      className="space-y-5"
      noValidate
      aria-label={mode === "create" ? "Create group" : "Edit group"}
      data-testid="group-form"
    >
      {mode === "edit" && <input type="hidden" name="originalName" value={initial.name} />}
      <FormMessage state={state} fields={FIELDS} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Name"
          name="name"
          id={`${id}-name`}
          defaultValue={initial.name}
          state={state}
          required
          autoComplete="off"
          hint="Letters, digits, '_' or '-'. Members can also reach it alone at /api/mcp/<name>."
        />
        <Field
          label="Description"
          name="description"
          id={`${id}-description`}
          defaultValue={initial.description}
          state={state}
          hint="Optional: who it is for, shown on the Groups page."
        />
      </div>

      <fieldset>
        <legend className="label">Who may join</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {(
            [
              ["public", "Public", "Anyone on the hub can join it on their Groups page."],
              ["restricted", "Restricted", "Only people an admin adds. Required for critical servers."],
            ] as const
          ).map(([value, label, hint]) => (
            <label
              key={value}
              className="flex cursor-pointer items-start gap-2 rounded-lg border border-slate-200 p-3 text-sm has-checked:border-brand-600 has-checked:bg-brand-50"
            >
              <input
                type="radio"
                name="visibility"
                value={value}
                defaultChecked={initial.visibility === value}
                className="mt-0.5"
              />
              <span>
                <span className="font-medium">{label}</span>
                <span className="block text-xs text-slate-600">{hint}</span>
              </span>
            </label>
          ))}
        </div>
        {fieldMessages(state, "visibility")?.map((message) => (
          <p key={message} className="mt-1 text-sm text-red-700">
            {message}
          </p>
        ))}
      </fieldset>

      <fieldset>
        <legend className="label">Servers</legend>
        {serverErrors?.map((message) => (
          <p
            key={message}
            role="alert"
            className="mb-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800"
            data-testid="servers-error"
          >
            {message}
          </p>
        ))}
        {servers.length === 0 ? (
          <p className="rounded-lg bg-slate-50 px-3 py-2 text-sm text-slate-600">
            There are no servers yet. Add one on the Servers page first; a group without servers offers no
            tools.
          </p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200">
            {servers.map((server) => {
              const checked = selected.has(server.name);
              const mode = modes[server.name] ?? "all";
              const errors = fieldMessages(state, `servers.${server.name}`);
              const chosen = chosenTools.get(server.name);
              return (
                <li key={server.name} className="p-3" data-testid="group-server" data-server={server.name}>
                  <label className="flex flex-wrap items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      name="servers"
                      value={server.name}
                      checked={checked}
                      onChange={(event) => {
                        const next = new Set(selected);
                        if (event.target.checked) next.add(server.name);
                        else next.delete(server.name);
                        setSelected(next);
                      }}
                      className="size-4 rounded border-slate-300"
                    />
                    <span className="wrap-anywhere font-medium">{server.name}</span>
                    <Badge>{server.type}</Badge>
                    {server.riskLevel === "critical" && <Badge tone="red">critical</Badge>}
                    {server.riskLevel === "high" && <Badge tone="amber">high risk</Badge>}
                    {!server.enabled && <Badge tone="red">disabled</Badge>}
                    <span className="text-xs text-slate-500">
                      {server.tools
                        ? `${server.tools.length} tool${server.tools.length === 1 ? "" : "s"}`
                        : "tools not listed yet"}
                    </span>
                  </label>
                  {checked && (
                    <div className="mt-2 space-y-2 pl-6 text-sm">
                      {server.tools && server.tools.length > 0 ? (
                        <>
                          <div className="flex flex-wrap gap-x-4 gap-y-1">
                            {(
                              [
                                ["all", "All tools, including ones it adds later"],
                                ["some", "Only the tools I tick"],
                              ] as const
                            ).map(([value, label]) => (
                              <label key={value} className="flex items-center gap-1.5">
                                <input
                                  type="radio"
                                  name={toolModeField(server.name)}
                                  value={value}
                                  checked={mode === value}
                                  onChange={() => setModes({ ...modes, [server.name]: value })}
                                />
                                {label}
                              </label>
                            ))}
                          </div>
                          {mode === "some" && (
                            <ul className="grid max-h-72 gap-1 overflow-auto rounded-lg bg-slate-50 p-2 sm:grid-cols-2">
                              {server.tools.map((tool) => (
                                <li key={tool.name}>
                                  <label className="flex items-start gap-2" title={tool.description}>
                                    <input
                                      type="checkbox"
                                      name={toolsField(server.name)}
                                      value={tool.name}
                                      defaultChecked={chosen ? chosen.includes(tool.name) : false}
                                      className="mt-0.5 size-4 rounded border-slate-300"
                                    />
                                    <code className="font-mono text-xs break-all">{tool.exposed}</code>
                                  </label>
                                </li>
                              ))}
                            </ul>
                          )}
                        </>
                      ) : (
                        <p className="text-xs text-slate-500">
                          All of its tools. To choose some, list its tools first with Test connection on its
                          page.
                        </p>
                      )}
                      {errors?.map((message) => (
                        <p key={message} className="text-sm text-red-700">
                          {message}
                        </p>
                      ))}
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </fieldset>

      <SubmitButton pending={pending} pendingText="Saving…">
        {mode === "create" ? "Create group" : "Save changes"}
      </SubmitButton>
    </form>
  );
}
