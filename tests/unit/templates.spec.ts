import { expect, test } from "@playwright/test";
import {
  CONTEXT_VARIABLES,
  expandTemplate,
  MAX_EXPRESSIONS,
  MAX_TEMPLATE_LENGTH,
  MissingVariableError,
  parseTemplate,
  TemplateError,
  templateVariables,
} from "@/lib/templates/template";

/** The error a call throws, so a test can check its type and message; fails if nothing is thrown. */
function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-Error: ${String(error)}`);
  }
  throw new Error("expected an error, but the call succeeded");
}

test.describe("variable kinds", () => {
  test("${USER_NAME} is the caller's credential NAME", () => {
    expect(templateVariables("Bearer ${USER_GITHUB_TOKEN}")).toEqual([
      { kind: "credential", name: "GITHUB_TOKEN", expression: "${USER_GITHUB_TOKEN}" },
    ]);
    expect(expandTemplate("Bearer ${USER_GITHUB_TOKEN}", { credentials: { GITHUB_TOKEN: "ghp_abc" } })).toBe(
      "Bearer ghp_abc",
    );
  });

  test("each context variable is recognised and expanded from the context", () => {
    expect(CONTEXT_VARIABLES).toEqual([
      "MCPHUB_USER_ID",
      "MCPHUB_USER_EMAIL",
      "MCPHUB_REQUEST_ID",
      "MCPHUB_USER_HOME",
    ]);
    for (const name of CONTEXT_VARIABLES) {
      expect(templateVariables(`<\${${name}}>`)).toEqual([
        { kind: "context", name, expression: `\${${name}}` },
      ]);
      expect(expandTemplate(`<\${${name}}>`, { context: { [name]: `value-of-${name}` } })).toBe(
        `<value-of-${name}>`,
      );
    }
  });

  test("${NAME} is the hub's own environment variable", () => {
    expect(templateVariables("${SHARED_API_KEY}")).toEqual([
      { kind: "hub", name: "SHARED_API_KEY", expression: "${SHARED_API_KEY}" },
    ]);
    expect(expandTemplate("k=${SHARED_API_KEY}", { hub: { SHARED_API_KEY: "s3cret" } })).toBe("k=s3cret");
  });

  test("the kinds do not cross: a credential is not read from the hub's environment and vice versa", () => {
    const values = {
      credentials: { TOKEN: "from-user" },
      hub: { TOKEN: "from-hub", USER_TOKEN: "hub-user" },
    };
    expect(expandTemplate("${USER_TOKEN}", values)).toBe("from-user");
    expect(expandTemplate("${TOKEN}", values)).toBe("from-hub");
  });

  test("text without templates, and lone $ { } characters, stay as they are", () => {
    for (const text of ["plain", "$HOME", "cost: $5 {x}", "{}", "a}b", "$ {X} and $X", "$$"]) {
      expect(parseTemplate(text)).toEqual([{ text }]);
      expect(expandTemplate(text, {})).toBe(text);
    }
    expect(parseTemplate("")).toEqual([]);
    expect(expandTemplate("", {})).toBe("");
  });
});

test.describe("templateVariables (the variable names a template declares)", () => {
  test("lists variables in order of first appearance without duplicates", () => {
    const variables = templateVariables(
      "${USER_B}:${MCPHUB_USER_ID}:${USER_A}:${USER_B}:${HUB_X}:${MCPHUB_USER_ID}",
    );
    expect(variables.map((v) => `${v.kind}:${v.name}`)).toEqual([
      "credential:B",
      "context:MCPHUB_USER_ID",
      "credential:A",
      "hub:HUB_X",
    ]);
  });

  test("is empty for a template without expressions", () => {
    expect(templateVariables("https://example.com/mcp")).toEqual([]);
  });

  test("parses text and variables into segments", () => {
    expect(parseTemplate("a${USER_X}b")).toEqual([
      { text: "a" },
      { variable: { kind: "credential", name: "X", expression: "${USER_X}" } },
      { text: "b" },
    ]);
  });
});

test.describe("single-pass expansion", () => {
  test("a value containing ${X} is inserted literally, not expanded again", () => {
    const out = expandTemplate("${USER_A}|${HUB_B}", {
      credentials: { A: "${USER_SECRET}", SECRET: "must-not-appear" },
      hub: { HUB_B: "${MCPHUB_USER_ID}" },
      context: { MCPHUB_USER_ID: "must-not-appear-either" },
    });
    expect(out).toBe("${USER_SECRET}|${MCPHUB_USER_ID}");
  });

  test("an empty value is a value (only a missing one is an error)", () => {
    expect(expandTemplate("[${USER_EMPTY}]", { credentials: { EMPTY: "" } })).toBe("[]");
  });
});

test.describe("values that would break a header are refused", () => {
  for (const [label, bad] of [
    ["CR", "a\rb"],
    ["LF", "a\nX-Injected: 1"],
    ["CRLF", "token\r\nHost: evil"],
    ["NUL", "a\0b"],
  ] as const) {
    test(`${label} in a credential, context or hub value`, () => {
      for (const [template, values] of [
        ["${USER_T}", { credentials: { T: bad } }],
        ["${MCPHUB_USER_EMAIL}", { context: { MCPHUB_USER_EMAIL: bad } }],
        ["${HUB_T}", { hub: { HUB_T: bad } }],
      ] as const) {
        const error = errorOf(() => expandTemplate(template, values));
        expect(error).toBeInstanceOf(TemplateError);
        expect(error.message).toContain(template);
        expect(error.message).toMatch(/line break or NUL/);
      }
    });
  }

  test("tabs and other characters are allowed", () => {
    expect(expandTemplate("${USER_T}", { credentials: { T: "a\tb ü ✓" } })).toBe("a\tb ü ✓");
  });
});

test.describe("unknown and malformed forms are errors, never empty strings", () => {
  for (const [template, pattern] of [
    ["${lower}", /\$\{lower\} is not a template/],
    ["${A:-b}", /\$\{A:-b\} is not a template/],
    ["${}", /\$\{\} is not a template/],
    ["${ USER_X }", /\$\{ USER_X \} is not a template/],
    ["${1ABC}", /is not a template/],
    ["${USER_}", /\$\{USER_\} names no credential/],
    ["${USER_lower}", /is not a template/],
    ["${MCPHUB_OTHER}", /\$\{MCPHUB_OTHER\} is unknown: the hub provides \$\{MCPHUB_USER_ID\}/],
    ["${MCPHUB_SECRET_KEY}", /\$\{MCPHUB_SECRET_KEY\} is unknown/],
  ] as const) {
    test(`${template}`, () => {
      const parse = errorOf(() => parseTemplate(`x ${template} y`));
      expect(parse).toBeInstanceOf(TemplateError);
      expect(parse.message).toMatch(pattern);
      const expand = errorOf(() =>
        expandTemplate(template, { hub: { lower: "v", A: "v", MCPHUB_OTHER: "v", MCPHUB_SECRET_KEY: "v" } }),
      );
      expect(expand).toBeInstanceOf(TemplateError);
      expect(expand.message).toMatch(pattern);
    });
  }

  test("an unclosed ${ names its position", () => {
    const error = errorOf(() => parseTemplate("Bearer ${USER_TOKEN"));
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.message).toBe("Unclosed ${ at position 8: close it with }");
    expect(errorOf(() => parseTemplate("${USER_A}${")).message).toMatch(/^Unclosed \$\{ at position 10/);
  });

  test("a nested ${ is not accepted", () => {
    expect(errorOf(() => parseTemplate("${A${B}}"))).toBeInstanceOf(TemplateError);
  });
});

test.describe("bounds", () => {
  test(`at most ${MAX_EXPRESSIONS} expressions`, () => {
    expect(MAX_EXPRESSIONS).toBe(32);
    const atLimit = "${USER_A}".repeat(MAX_EXPRESSIONS);
    expect(expandTemplate(atLimit, { credentials: { A: "x" } })).toBe("x".repeat(MAX_EXPRESSIONS));
    const error = errorOf(() => parseTemplate(`${atLimit}\${USER_A}`));
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.message).toBe("A template may hold at most 32 ${…} expressions");
  });

  test(`at most ${MAX_TEMPLATE_LENGTH} characters`, () => {
    expect(MAX_TEMPLATE_LENGTH).toBe(8_192);
    expect(expandTemplate("a".repeat(MAX_TEMPLATE_LENGTH), {})).toHaveLength(MAX_TEMPLATE_LENGTH);
    const error = errorOf(() => parseTemplate("a".repeat(MAX_TEMPLATE_LENGTH + 1)));
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.message).toBe("A template may be at most 8192 characters");
  });
});

test.describe("missing values", () => {
  test("a missing credential is an error naming the credential", () => {
    const error = errorOf(() =>
      expandTemplate("Bearer ${USER_GITHUB_TOKEN}", { credentials: { OTHER: "x" } }),
    );
    expect(error).toBeInstanceOf(MissingVariableError);
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.message).toBe("The credential GITHUB_TOKEN is not linked");
    expect((error as MissingVariableError).variable).toEqual({
      kind: "credential",
      name: "GITHUB_TOKEN",
      expression: "${USER_GITHUB_TOKEN}",
    });
  });

  test("a missing hub variable names the variable", () => {
    const error = errorOf(() => expandTemplate("${SHARED_KEY}", { hub: {} }));
    expect(error).toBeInstanceOf(MissingVariableError);
    expect(error.message).toBe("The hub's environment has no SHARED_KEY");
  });

  test("a missing context variable names the expression", () => {
    const error = errorOf(() => expandTemplate("${MCPHUB_USER_HOME}", { context: {} }));
    expect(error).toBeInstanceOf(MissingVariableError);
    expect(error.message).toBe("${MCPHUB_USER_HOME} has no value in this context");
  });

  test("a value is never silently replaced by an empty string", () => {
    expect(() => expandTemplate("${USER_X}", {})).toThrow(MissingVariableError);
    expect(() => expandTemplate("${HUB_X}", { hub: { HUB_X: undefined } })).toThrow(MissingVariableError);
  });
});
