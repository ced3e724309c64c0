import { expect, type Locator, type Page } from "@playwright/test";

export type GroupFields = {
  name?: string;
  description?: string;
  visibility?: "public" | "restricted";
  /** Server names to tick; with tools, only those tools are chosen. */
  servers?: Array<string | { name: string; tools: string[] }>;
};

/** The group form, on the list page (create) and on a group's page (edit). */
export class GroupForm {
  readonly root: Locator;
  readonly serversError: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId("group-form");
    this.serversError = this.root.getByTestId("servers-error");
  }

  server(name: string): Locator {
    return this.root.locator(`[data-testid="group-server"][data-server="${name}"]`);
  }

  message(): Locator {
    return this.root.locator("p[role=status], p[role=alert]").first();
  }

  async fill(fields: GroupFields) {
    if (fields.name !== undefined) await this.root.getByLabel("Name", { exact: true }).fill(fields.name);
    if (fields.description !== undefined) await this.root.getByLabel("Description").fill(fields.description);
    if (fields.visibility)
      await this.root.locator(`input[name=visibility][value=${fields.visibility}]`).check();
    for (const entry of fields.servers ?? []) {
      const name = typeof entry === "string" ? entry : entry.name;
      const row = this.server(name);
      await row.locator("input[name=servers]").check();
      if (typeof entry !== "string") {
        await row.getByLabel("Only the tools I tick").check();
        for (const tool of entry.tools) await row.locator(`input[value="${tool}"]`).check();
      }
    }
  }

  async submit(label: "Create group" | "Save changes") {
    await this.root.getByRole("button", { name: label }).click();
    await expect(this.root.getByRole("button", { name: label })).toBeEnabled();
  }
}

export class AdminGroupsPage {
  readonly form: GroupForm;

  constructor(readonly page: Page) {
    this.form = new GroupForm(page);
  }

  async goto() {
    await this.page.goto("/admin/groups");
  }

  row(name: string): Locator {
    return this.page.locator(`[data-testid="group-row"][data-name="${name}"]`);
  }

  async create(fields: GroupFields) {
    await this.goto();
    await this.form.fill({ visibility: "public", ...fields });
    await this.form.submit("Create group");
  }
}

export class AdminGroupPage {
  readonly form: GroupForm;
  readonly members: Locator;

  constructor(readonly page: Page) {
    this.form = new GroupForm(page);
    this.members = page.locator("section").filter({ has: page.getByRole("heading", { name: /^Members/ }) });
  }

  async goto(name: string) {
    await this.page.goto(`/admin/groups/${encodeURIComponent(name)}`);
  }

  member(email: string): Locator {
    return this.members.locator(`[data-testid="member-row"][data-email="${email}"]`);
  }

  async addMember(email: string) {
    await this.members.getByLabel("Add a person by email").fill(email);
    await this.members.getByRole("button", { name: "Add member" }).click();
    await expect(this.members.getByRole("button", { name: "Add member" })).toBeEnabled();
  }
}

/** A person's /groups page. */
export class MyGroupsPage {
  readonly gettingStarted: Locator;

  constructor(readonly page: Page) {
    this.gettingStarted = page.getByTestId("groups-getting-started");
  }

  async goto() {
    await this.page.goto("/groups");
  }

  group(name: string): Locator {
    return this.page.locator(`[data-testid="my-group"][data-name="${name}"]`);
  }

  async press(group: string, button: "Join and activate" | "Activate" | "Deactivate" | "Leave") {
    if (button === "Leave") this.page.once("dialog", (dialog) => dialog.accept());
    await this.group(group).getByRole("button", { name: button }).click();
  }
}
