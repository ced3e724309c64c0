"use client";

import { useState } from "react";
import { Field, FormMessage, SelectField, SubmitButton, useFormAction } from "@/app/_components/form";
import { createLimitAction } from "../actions";

/** A new limit: each person's calls (everyone, or one person by email), or everyone's on one server. */
export function CreateLimitForm({ servers }: { servers: string[] }) {
  const { state, pending, onSubmit } = useFormAction(createLimitAction);
  const [scope, setScope] = useState(state.status === "error" ? (state.values?.scope ?? "person") : "person");
  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label="Add a limit">
      <SelectField
        label="Applies to"
        name="scope"
        state={state}
        value={scope}
        onChange={(event) => setScope(event.target.value)}
      >
        <option value="person">Each person (on all servers)</option>
        <option value="server">One server (all people together)</option>
      </SelectField>
      {scope === "person" ? (
        <Field
          label="Person's email"
          name="user"
          type="email"
          state={state}
          placeholder="empty: the default for every person"
          hint="A person's own limit replaces the default for them."
        />
      ) : (
        <SelectField label="Server" name="server" state={state} defaultValue="">
          <option value="" disabled>
            Choose a server
          </option>
          {servers.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </SelectField>
      )}
      <Field
        label="Calls per minute"
        name="callsPerMinute"
        type="number"
        min={1}
        max={1_000_000}
        step={1}
        required
        state={state}
        defaultValue="60"
      />
      <FormMessage state={state} fields={["scope", "user", "server", "callsPerMinute"]} />
      <SubmitButton pending={pending} pendingText="Adding…">
        Add limit
      </SubmitButton>
    </form>
  );
}
