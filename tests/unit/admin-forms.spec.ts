import { expect, test } from "@playwright/test";
import type { Server } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { parseGroupForm } from "@/lib/groups/form";
import { describeIsolation, describeStatus } from "@/lib/servers/describe";
import { parseServerForm, serverFormValues, templatedFormValues } from "@/lib/servers/form";
import { canProbeAsAdmin, templateNeeds } from "@/lib/servers/needs";
import { serverInputSchema } from "@/lib/servers/schemas";

function form(entries: Array<[string, string]>): FormData {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
}

function fieldErrorsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error.fieldErrors;
    throw error;
  }
  throw new Error("expected a validation error");
}

test.describe("server form", () => {
  test("reads args one per line and env as KEY=value lines", () => {
    const input = parseServerForm(
      form([
        ["name", " files "],
        ["type", "stdio"],
        ["command", "npx"],
        ["args", `-y\r\n\n  @modelcontextprotocol/server-filesystem  \n\${MCPHUB_USER_HOME}\n`],
        ["env", `# a comment\nTOKEN=\${USER_GITHUB_TOKEN}\nURL = https://x.test/?a=b\n`],
        ["riskLevel", "high"],
        ["toolPrefix", ""],
      ]),
    );
    expect(input).toEqual({
      name: "files",
      type: "stdio",
      description: undefined,
      isolation: undefined,
      riskLevel: "high",
      toolPrefix: null,
      callTimeoutMs: undefined,
      listTimeoutMs: undefined,
      command: "npx",
      args: ["-y", "@modelcontextprotocol/server-filesystem", `\${MCPHUB_USER_HOME}`],
      env: { TOKEN: `\${USER_GITHUB_TOKEN}`, URL: "https://x.test/?a=b" },
    });
    expect(serverInputSchema.safeParse(input).success).toBe(true);
  });

  test("reads headers as Name: value lines and the no-prefix checkbox as an empty prefix", () => {
    const input = parseServerForm(
      form([
        ["name", "notion"],
        ["type", "streamable-http"],
        ["url", "https://mcp.notion.test/mcp"],
        ["headers", `Authorization: Bearer \${USER_NOTION_TOKEN}\nX-Trace: a:b`],
        ["noPrefix", "on"],
        ["toolPrefix", "ignored"],
        ["contextHeaders", "on"],
        ["callTimeoutMs", "5000"],
      ]),
    );
    expect(input).toMatchObject({
      url: "https://mcp.notion.test/mcp",
      headers: { Authorization: `Bearer \${USER_NOTION_TOKEN}`, "X-Trace": "a:b" },
      toolPrefix: "",
      contextHeaders: true,
      callTimeoutMs: "5000",
    });
    expect(input).not.toHaveProperty("command");
  });

  test("names the line that is not KEY=value or Name: value, and keys set twice", () => {
    expect(
      fieldErrorsOf(() =>
        parseServerForm(
          form([
            ["type", "stdio"],
            ["env", "A=1\nbroken\nA=2"],
          ]),
        ),
      ),
    ).toEqual({
      env: ['Line 2 ("broken") needs the form KEY=value', "Line 3: A is set twice"],
    });
    expect(
      fieldErrorsOf(() =>
        parseServerForm(
          form([
            ["type", "sse"],
            ["headers", "Authorization Bearer x"],
          ]),
        ),
      ),
    ).toEqual({ headers: ['Line 1 ("Authorization Bearer x") needs the form Name: value'] });
  });

  test("only the create form sends enabled", () => {
    const fields = form([
      ["name", "a"],
      ["type", "builtin"],
      ["builtin", "github"],
    ]);
    expect(parseServerForm(fields)).not.toHaveProperty("enabled");
    expect(parseServerForm(fields, { withEnabled: true })).toMatchObject({
      enabled: false,
      builtin: "github",
    });
  });

  test("a stored server fills the form and reads back the same", () => {
    const values = serverFormValues({
      name: "gh",
      type: "stdio",
      command: "npx",
      args: ["-y", "server"],
      env: { GITHUB_TOKEN: `\${USER_GITHUB_TOKEN}` },
      riskLevel: "medium",
      isolation: "process",
      toolPrefix: "",
      listTimeoutMs: 2000,
    });
    expect(values).toMatchObject({
      args: "-y\nserver",
      env: `GITHUB_TOKEN=\${USER_GITHUB_TOKEN}`,
      noPrefix: true,
      isolation: "process",
      listTimeoutMs: "2000",
    });
    const entries = Object.entries(values).flatMap(
      ([k, v]): Array<[string, string]> => (typeof v === "boolean" ? (v ? [[k, "on"]] : []) : [[k, v]]),
    );
    expect(parseServerForm(form(entries))).toMatchObject({
      command: "npx",
      args: ["-y", "server"],
      env: { GITHUB_TOKEN: `\${USER_GITHUB_TOKEN}` },
      toolPrefix: "",
      isolation: "process",
    });
  });

  test("the templates a form needs are read while typing, skipping malformed ones", () => {
    const values = templatedFormValues({
      type: "stdio",
      args: `\${MCPHUB_USER_HOME}\n\${broken`,
      env: `A=\${USER_GITHUB_TOKEN}\nB=\${SHARED_SECRET}`,
      url: "",
      headers: "",
    });
    expect(templateNeeds(values)).toEqual({
      credentials: ["GITHUB_TOKEN"],
      hub: ["SHARED_SECRET"],
      context: ["MCPHUB_USER_HOME"],
    });
    expect(canProbeAsAdmin(templateNeeds(values))).toBe(false);
    expect(canProbeAsAdmin(templateNeeds([`\${MCPHUB_USER_ID}`, `\${SHARED}`]))).toBe(true);
  });
});

test.describe("server descriptions", () => {
  const base = {
    riskLevel: "medium",
    config: { type: "stdio", command: "node", args: [], env: {} },
  } as unknown as Pick<Server, "isolation" | "riskLevel" | "config">;

  test("say why a server is isolated", () => {
    expect(describeIsolation({ ...base, isolation: "process", riskLevel: "high" })).toEqual({
      label: "process",
      reason: "high risk",
    });
    expect(
      describeIsolation({
        ...base,
        isolation: "token",
        config: { type: "sse", url: "https://x.test", headers: { Authorization: `Bearer \${USER_API_KEY}` } },
      }),
    ).toEqual({ label: "token", reason: "per-person credentials (API_KEY)" });
    expect(describeIsolation({ ...base, isolation: "none" })).toEqual({
      label: "none",
      reason: "one shared connection",
    });
    expect(describeIsolation({ ...base, isolation: "none", riskLevel: "critical" }).reason).toBe(
      "shared by everyone despite critical risk",
    );
  });

  test("status shows the newer of the last listing and the last error", () => {
    const earlier = new Date("2026-01-01T00:00:00Z");
    const later = new Date("2026-01-02T00:00:00Z");
    const tools = [{ name: "echo" }];
    expect(
      describeStatus({
        type: "stdio",
        tools,
        toolsListedAt: later,
        protocolVersion: "2025-11-25",
        lastError: "boom",
        lastErrorAt: earlier,
      }),
    ).toEqual({ kind: "tools", count: 1, at: later, protocolVersion: "2025-11-25" });
    expect(
      describeStatus({
        type: "stdio",
        tools,
        toolsListedAt: earlier,
        protocolVersion: "2025-11-25",
        lastError: "boom",
        lastErrorAt: later,
      }),
    ).toEqual({ kind: "error", error: "boom", at: later });
    expect(
      describeStatus({
        type: "stdio",
        tools: null,
        toolsListedAt: null,
        protocolVersion: null,
        lastError: null,
        lastErrorAt: null,
      }),
    ).toEqual({
      kind: "unlisted",
    });
  });
});

test.describe("group form", () => {
  test("keeps the ticked servers in order, with all tools or the chosen ones", () => {
    expect(
      parseGroupForm(
        form([
          ["name", " team "],
          ["description", ""],
          ["visibility", "restricted"],
          ["servers", "github"],
          ["servers", "files"],
          ["toolMode:github", "all"],
          ["tools:github", "ignored"],
          ["toolMode:files", "some"],
          ["tools:files", "read"],
          ["tools:files", "list"],
        ]),
      ),
    ).toEqual({
      name: "team",
      description: undefined,
      visibility: "restricted",
      servers: ["github", { name: "files", tools: ["read", "list"] }],
    });
  });

  test("refuses 'only these tools' with none ticked, naming the server", () => {
    expect(
      fieldErrorsOf(() =>
        parseGroupForm(
          form([
            ["name", "team"],
            ["servers", "files"],
            ["toolMode:files", "some"],
          ]),
        ),
      ),
    ).toEqual({ "servers.files": ["Tick at least one tool of files, or expose all of them"] });
  });
});
