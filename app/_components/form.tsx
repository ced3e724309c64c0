"use client";

import { useFormStatus } from "react-dom";
import type { FormState } from "@/lib/auth/form-state";

export function SubmitButton({
  children,
  pendingText,
  className = "btn-primary",
}: {
  children: React.ReactNode;
  pendingText?: string;
  className?: string;
}) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className={className} disabled={pending} aria-busy={pending}>
      {pending ? (pendingText ?? "Working…") : children}
    </button>
  );
}

/** The form-level message of a server action's answer. */
export function FormMessage({ state }: { state: FormState }) {
  if (state.status === "idle") return null;
  const success = state.status === "success";
  return (
    <p
      role={success ? "status" : "alert"}
      className={`rounded-lg px-3 py-2 text-sm ${success ? "bg-green-50 text-green-800" : "bg-red-50 text-red-800"}`}
    >
      {state.message}
    </p>
  );
}

type FieldProps = React.InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  name: string;
  state: FormState;
  hint?: string;
};

/** A labelled input that shows the server's message for its field. */
export function Field({ label, name, state, hint, ...input }: FieldProps) {
  const errors = state.status === "error" ? state.fieldErrors?.[name] : undefined;
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
      {hint && !errors && <p className="mt-1 text-xs text-slate-500">{hint}</p>}
      {errors && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {errors.join(". ")}
        </p>
      )}
    </div>
  );
}
