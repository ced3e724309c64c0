/**
 * `${…}` templates in server configurations (contract §3): a small, bounded parser and expander.
 *
 * - `${USER_NAME}`: the calling person's credential `NAME`.
 * - `${MCPHUB_USER_ID}`, `${MCPHUB_USER_EMAIL}`, `${MCPHUB_REQUEST_ID}`, `${MCPHUB_USER_HOME}`: context.
 * - `${NAME}`: the hub's own environment variable (an admin-owned, shared secret).
 *
 * Expansion is a single pass: a substituted value that itself contains `${…}` is inserted as text,
 * never expanded again. Anything else (`${lower}`, `${A:-b}`, an unclosed `${`) is an error with a
 * message, never an empty string.
 */

export const MAX_TEMPLATE_LENGTH = 8_192;
export const MAX_EXPRESSIONS = 32;

const NAME = /^[A-Z][A-Z0-9_]{0,127}$/;
export const CONTEXT_VARIABLES = [
  "MCPHUB_USER_ID",
  "MCPHUB_USER_EMAIL",
  "MCPHUB_REQUEST_ID",
  "MCPHUB_USER_HOME",
] as const;
export type ContextVariable = (typeof CONTEXT_VARIABLES)[number];

export type TemplateVariable =
  | { kind: "credential"; name: string; expression: string }
  | { kind: "context"; name: ContextVariable; expression: string }
  | { kind: "hub"; name: string; expression: string };

type Segment = { text: string } | { variable: TemplateVariable };

export class TemplateError extends Error {
  override name = "TemplateError";
}

function classify(name: string, expression: string): TemplateVariable {
  if (!NAME.test(name)) {
    throw new TemplateError(
      `${expression} is not a template: names are upper-case letters, digits and _, such as \${USER_GITHUB_TOKEN}`,
    );
  }
  if (name.startsWith("USER_")) {
    const credential = name.slice("USER_".length);
    if (!NAME.test(credential))
      throw new TemplateError(
        `${expression} names no credential: write \${USER_<NAME>}, such as \${USER_GITHUB_TOKEN}`,
      );
    return { kind: "credential", name: credential, expression };
  }
  if ((CONTEXT_VARIABLES as readonly string[]).includes(name))
    return { kind: "context", name: name as ContextVariable, expression };
  if (name.startsWith("MCPHUB_")) {
    throw new TemplateError(
      `${expression} is unknown: the hub provides ${CONTEXT_VARIABLES.map((v) => `\${${v}}`).join(", ")}`,
    );
  }
  return { kind: "hub", name, expression };
}

/** Parses a template; throws TemplateError with a message that names the problem. */
export function parseTemplate(template: string): Segment[] {
  if (template.length > MAX_TEMPLATE_LENGTH)
    throw new TemplateError(`A template may be at most ${MAX_TEMPLATE_LENGTH} characters`);
  const segments: Segment[] = [];
  let index = 0;
  let expressions = 0;
  while (index < template.length) {
    const start = template.indexOf("${", index);
    if (start === -1) {
      segments.push({ text: template.slice(index) });
      break;
    }
    if (start > index) segments.push({ text: template.slice(index, start) });
    const end = template.indexOf("}", start + 2);
    if (end === -1) throw new TemplateError(`Unclosed \${ at position ${start + 1}: close it with }`);
    if (++expressions > MAX_EXPRESSIONS)
      throw new TemplateError(`A template may hold at most ${MAX_EXPRESSIONS} \${…} expressions`);
    const expression = template.slice(start, end + 1);
    segments.push({ variable: classify(template.slice(start + 2, end), expression) });
    index = end + 1;
  }
  return segments;
}

/** The variables a template refers to, in order, without duplicates. */
export function templateVariables(template: string): TemplateVariable[] {
  const seen = new Map<string, TemplateVariable>();
  for (const segment of parseTemplate(template)) {
    if ("variable" in segment) seen.set(segment.variable.expression, segment.variable);
  }
  return [...seen.values()];
}

/** Values for expansion; a missing value is an error naming the variable. */
export type TemplateValues = {
  credentials?: Readonly<Record<string, string>>;
  context?: Partial<Record<ContextVariable, string>>;
  hub?: Readonly<Record<string, string | undefined>>;
};

export class MissingVariableError extends TemplateError {
  override name = "MissingVariableError";
  constructor(readonly variable: TemplateVariable) {
    super(
      variable.kind === "credential"
        ? `The credential ${variable.name} is not linked`
        : variable.kind === "hub"
          ? `The hub's environment has no ${variable.name}`
          : `${variable.expression} has no value in this context`,
    );
  }
}

const FORBIDDEN_IN_VALUES = /[\r\n\0]/;

/** Expands a template in one pass. Values with CR, LF or NUL are refused (header injection). */
export function expandTemplate(template: string, values: TemplateValues): string {
  let out = "";
  for (const segment of parseTemplate(template)) {
    if ("text" in segment) {
      out += segment.text;
      continue;
    }
    const { variable } = segment;
    const value =
      variable.kind === "credential"
        ? values.credentials?.[variable.name]
        : variable.kind === "context"
          ? values.context?.[variable.name]
          : values.hub?.[variable.name];
    if (value === undefined) throw new MissingVariableError(variable);
    if (FORBIDDEN_IN_VALUES.test(value))
      throw new TemplateError(
        `The value of ${variable.expression} contains a line break or NUL and cannot be used`,
      );
    out += value;
  }
  return out;
}
