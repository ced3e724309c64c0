"use client";

import { startTransition, useActionState } from "react";
import { useFormStatus } from "react-dom";
import { type FormState, idleState } from "@/lib/auth/form-state";

type AnyState = FormState<unknown>;

export function SubmitButton({
  children,
  pendingText,
  className = "btn-primary",
  pending: pendingOverride,
  ...button
}: React.ButtonHTMLAttributes<HTMLButtonElement> & {
  pendingText?: string;
  /** For forms submitted through `onSubmit`, where useFormStatus does not see the request. */
  pending?: boolean;
}) {
  const status = useFormStatus();
  const pending = pendingOverride ?? status.pending;
  return (
    <button type="submit" className={className} disabled={pending} aria-busy={pending} {...button}>
      {pending ? (pendingText ?? "Working…") : children}
    </button>
  );
}

/**
 * The messages for one field, including nested ones such as `env.API_KEY` or `args.0`, which
 * are prefixed with their key or line so a textarea can show which line is wrong.
 */
export function fieldMessages(state: AnyState, name: string): string[] | undefined {
  if (state.status !== "error" || !state.fieldErrors) return undefined;
  const messages: string[] = [];
  for (const [key, list] of Object.entries(state.fieldErrors)) {
    if (key === name) messages.push(...list);
    else if (key.startsWith(`${name}.`)) {
      const sub = key.slice(name.length + 1);
      const prefix = /^\d+$/.test(sub) ? `Line ${Number(sub) + 1}: ` : `${sub}: `;
      messages.push(...list.map((message) => (message.includes(sub) ? message : `${prefix}${message}`)));
    }
  }
  return messages.length > 0 ? messages : undefined;
}

/**
 * The form-level message of a server action's answer. With `fields`, a validation error whose
 * every problem is shown beside a field is summarised instead of repeated.
 */
export function FormMessage({ state, fields }: { state: AnyState; fields?: string[] }) {
  if (state.status === "idle") return null;
  const success = state.status === "success";
  let message = state.message;
  if (state.status === "error" && state.fieldErrors && fields) {
    const keys = Object.keys(state.fieldErrors);
    const shown = keys.every((key) => fields.some((field) => key === field || key.startsWith(`${field}.`)));
    if (shown) message = "Some fields need fixing: see the messages below them.";
  }
  return (
    <p
      role={success ? "status" : "alert"}
      className={`whitespace-pre-line rounded-lg px-3 py-2 text-sm ${success ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}
    >
      {message}
    </p>
  );
}

function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors) return null;
  return (
    <div id={`${id}-error`} className="mt-1 space-y-0.5 text-sm text-red-700">
      {errors.map((error) => (
        <p key={error}>{error}</p>
      ))}
    </div>
  );
}

function Hint({ hint, hidden }: { hint?: React.ReactNode; hidden: boolean }) {
  return hint && !hidden ? <p className="mt-1 text-xs text-slate-500">{hint}</p> : null;
}

type FieldProps = React.InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  name: string;
  state: AnyState;
  hint?: React.ReactNode;
};

/** A labelled input that shows the server's message for its field. */
export function Field({ label, name, state, hint, ...input }: FieldProps) {
  const errors = fieldMessages(state, name);
  const kept = state.status === "error" ? state.values?.[name] : undefined;
  const id = input.id ?? `field-${name}`;
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <input
        id={id}
        name={name}
        className="input"
        aria-invalid={errors ? true : undefined}
        aria-describedby={errors ? `${id}-error` : undefined}
        {...input}
        defaultValue={kept ?? input.defaultValue}
      />
      <Hint hint={hint} hidden={Boolean(errors)} />
      <FieldError id={id} errors={errors} />
    </div>
  );
}

type TextAreaProps = React.TextareaHTMLAttributes<HTMLTextAreaElement> & {
  label: string;
  name: string;
  state: AnyState;
  hint?: React.ReactNode;
};

/** A labelled textarea for line-based input (args, env, headers) with its field's messages. */
export function TextAreaField({ label, name, state, hint, ...textarea }: TextAreaProps) {
  const errors = fieldMessages(state, name);
  const id = textarea.id ?? `field-${name}`;
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <textarea
        id={id}
        name={name}
        className="input font-mono"
        spellCheck={false}
        aria-invalid={errors ? true : undefined}
        aria-describedby={errors ? `${id}-error` : undefined}
        {...textarea}
      />
      <Hint hint={hint} hidden={Boolean(errors)} />
      <FieldError id={id} errors={errors} />
    </div>
  );
}

type SelectProps = React.SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  name: string;
  state: AnyState;
  hint?: React.ReactNode;
};

export function SelectField({ label, name, state, hint, children, ...select }: SelectProps) {
  const errors = fieldMessages(state, name);
  const id = select.id ?? `field-${name}`;
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <select
        id={id}
        name={name}
        className="input"
        aria-invalid={errors ? true : undefined}
        aria-describedby={errors ? `${id}-error` : undefined}
        {...select}
      >
        {children}
      </select>
      <Hint hint={hint} hidden={Boolean(errors)} />
      <FieldError id={id} errors={errors} />
    </div>
  );
}

/**
 * `useActionState` for a form submitted through `onSubmit`: unlike a form `action`, React does not
 * reset the fields afterwards, so what the person typed stays when the server asks for a fix.
 */
export function useFormAction<T>(
  action: (previous: FormState<T>, formData: FormData) => Promise<FormState<T>>,
) {
  const [state, dispatch, pending] = useActionState(action, idleState as FormState<T>);
  const onSubmit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => dispatch(data));
  };
  return { state, pending, onSubmit };
}
