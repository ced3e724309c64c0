import { expect, type Locator, type Page } from "@playwright/test";

/** The everything server shipped as a dev dependency: a real stdio MCP server with 13 tools. */
export const EVERYTHING_SERVER = {
  command: "node",
  args: ["node_modules/@modelcontextprotocol/server-everything/dist/index.js", "stdio"],
};

export type ServerFields = {
  name?: string;
  type?: "stdio" | "sse" | "streamable-http" | "builtin";
  description?: string;
  command?: string;
  args?: string[];
  env?: string[];
  url?: string;
  headers?: string[];
  isolation?: "" | "none" | "token" | "process" | "builtin";
  riskLevel?: "low" | "medium" | "high" | "critical";
  toolPrefix?: string;
  noPrefix?: boolean;
};

/** The server form, on the list page (add) and on a server's page (edit). */
export class ServerForm {
  readonly root: Locator;
  readonly testResult: Locator;
  readonly warnings: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId("server-form");
    this.testResult = this.root.getByTestId("test-result");
    this.warnings = this.root.getByTestId("server-warnings");
  }

  input(name: string): Locator {
    return this.root.locator(`[name="${name}"]`);
  }

  /** The messages shown under one field. */
  errorFor(name: string): Locator {
    return this.root.locator(`[id$="-${name}-error"]`);
  }

  message(): Locator {
    return this.root.locator("p[role=status], p[role=alert]").first();
  }

  async fill(fields: ServerFields) {
    if (fields.name !== undefined) await this.input("name").fill(fields.name);
    if (fields.type) await this.input("type").selectOption(fields.type);
    if (fields.description !== undefined) await this.input("description").fill(fields.description);
    if (fields.command !== undefined) await this.input("command").fill(fields.command);
    if (fields.args) await this.input("args").fill(fields.args.join("\n"));
    if (fields.env) await this.input("env").fill(fields.env.join("\n"));
    if (fields.url !== undefined) await this.input("url").fill(fields.url);
    if (fields.headers) await this.input("headers").fill(fields.headers.join("\n"));
    if (fields.riskLevel) await this.input("riskLevel").selectOption(fields.riskLevel);
    if (fields.isolation !== undefined) await this.input("isolation").selectOption(fields.isolation);
    if (fields.noPrefix !== undefined) await this.input("noPrefix").setChecked(fields.noPrefix);
    if (fields.toolPrefix !== undefined) await this.input("toolPrefix").fill(fields.toolPrefix);
  }

  async testConnection() {
    await this.root.getByRole("button", { name: "Test connection" }).click();
    await expect(this.root.getByRole("button", { name: "Test connection" })).toBeEnabled({ timeout: 20_000 });
  }

  async add() {
    await this.root.getByRole("button", { name: "Add server" }).click();
    await expect(this.root.getByRole("button", { name: "Add server" })).toBeEnabled({ timeout: 20_000 });
  }

  async save() {
    await this.root.getByRole("button", { name: "Save changes" }).click();
    await expect(this.root.getByRole("button", { name: "Save changes" })).toBeEnabled({ timeout: 20_000 });
  }
}

export class ServersPage {
  readonly form: ServerForm;

  constructor(readonly page: Page) {
    this.form = new ServerForm(page);
  }

  async goto() {
    await this.page.goto("/admin/servers");
  }

  row(name: string): Locator {
    return this.page.locator(`[data-testid="server-row"][data-name="${name}"]`);
  }

  /** Adds the everything server under `name` and waits for its tools to be listed. */
  async addEverythingServer(name: string, extra: ServerFields = {}) {
    await this.goto();
    await this.form.fill({ name, type: "stdio", ...EVERYTHING_SERVER, ...extra });
    await this.form.add();
    await expect(this.form.message()).toContainText(`Added ${name}. Listed 13 tools.`);
  }
}

export class ServerPage {
  readonly form: ServerForm;
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.form = new ServerForm(page);
    this.status = page.locator("section").filter({ has: page.getByRole("heading", { name: "Status" }) });
  }

  async goto(name: string) {
    await this.page.goto(`/admin/servers/${encodeURIComponent(name)}`);
  }

  async toggleEnabled(to: "Enable" | "Disable") {
    await this.status.getByRole("button", { name: to }).click();
    await expect(
      this.status.getByRole("button", { name: to === "Enable" ? "Disable" : "Enable" }),
    ).toBeVisible();
  }

  async delete() {
    this.page.once("dialog", (dialog) => dialog.accept());
    await this.page.getByRole("button", { name: "Delete server" }).click();
  }
}
