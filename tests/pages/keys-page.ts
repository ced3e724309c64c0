import { expect, type Locator, type Page } from "@playwright/test";

/** A person's /account/keys page: create, list and revoke keys; client snippets. */
export class KeysPage {
  readonly newKey: Locator;
  readonly newKeyValue: Locator;
  readonly snippet: Locator;
  readonly createForm: Locator;

  constructor(readonly page: Page) {
    this.newKey = page.getByTestId("new-key");
    this.newKeyValue = page.getByTestId("new-key-value");
    this.snippet = page.getByTestId("client-snippet");
    this.createForm = page.getByRole("form", { name: "Create key" });
  }

  async goto() {
    await this.page.goto("/account/keys");
  }

  row(name: string): Locator {
    return this.page.locator(`[data-testid="key-row"][data-name="${name}"]`);
  }

  /** Creates a key and returns it as the page shows it, once. */
  async create(name: string, expiresOn?: string): Promise<string> {
    await this.fillAndSubmit(name, expiresOn);
    await expect(this.newKey).toBeVisible();
    return this.newKeyValue.inputValue();
  }

  async fillAndSubmit(name: string, expiresOn?: string) {
    await this.createForm.getByLabel("Name").fill(name);
    if (expiresOn) await this.createForm.getByLabel("Expires on (optional)").fill(expiresOn);
    await this.createForm.getByRole("button", { name: "Create key" }).click();
    await expect(this.createForm.getByRole("button", { name: "Create key" })).toBeEnabled();
  }

  async showClient(label: string) {
    await this.page.getByRole("tab", { name: label }).click();
  }

  async revoke(name: string) {
    this.page.once("dialog", (dialog) => dialog.accept());
    await this.row(name).getByRole("button", { name: "Revoke" }).click();
    await expect(this.row(name)).toHaveCount(0);
  }
}

/** /admin/users with each person's groups and keys. */
export class AdminUsersPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/admin/users");
  }

  row(email: string): Locator {
    return this.page.locator(`[data-testid="user-row"][data-email="${email}"]`);
  }

  async revokeKey(email: string, keyName: string) {
    this.page.once("dialog", (dialog) => dialog.accept());
    const key = this.row(email).locator(`[data-testid="user-key"][data-name="${keyName}"]`);
    await key.getByRole("button", { name: "Revoke" }).click();
    await expect(key).toHaveCount(0);
  }
}
