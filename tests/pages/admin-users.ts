import { expect, type Locator, type Page } from "@playwright/test";
import { submitToServerAction } from "./server-action";

export type NewUser = { email: string; name?: string; password?: string; role?: "user" | "admin" };

/** /admin/users: the list of people and the form that adds one. */
export class AdminUsersPage {
  readonly heading: Locator;
  readonly createForm: Locator;
  readonly email: Locator;
  readonly name: Locator;
  readonly password: Locator;
  readonly role: Locator;
  readonly createButton: Locator;
  /** The create form's answer: role "status" for success, "alert" for a problem. */
  readonly createSuccess: Locator;
  readonly createError: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: "Users" });
    this.createForm = page.getByRole("form", { name: "Create user" });
    this.email = this.createForm.getByLabel("Email");
    this.name = this.createForm.getByLabel("Name");
    this.password = this.createForm.getByLabel("Password");
    this.role = this.createForm.getByLabel("Role");
    this.createButton = this.createForm.getByRole("button", { name: "Create user" });
    this.createSuccess = this.createForm.getByRole("status");
    this.createError = this.createForm.getByRole("alert");
  }

  async goto() {
    const response = await this.page.goto("/admin/users");
    await expect(this.heading).toBeVisible();
    return response;
  }

  async fillCreateForm(user: NewUser) {
    await this.email.fill(user.email);
    await this.name.fill(user.name ?? "");
    await this.password.fill(user.password ?? "");
    await this.role.selectOption(user.role ?? "user");
  }

  async submitCreateForm() {
    await submitToServerAction(this.page, this.createButton);
  }

  async createUser(user: NewUser) {
    await this.fillCreateForm(user);
    await this.submitCreateForm();
    await expect(this.createSuccess).toHaveText(`Created ${user.email.toLowerCase()}. They can sign in now.`);
    await expect(this.row(user.email)).toBeVisible();
  }

  row(email: string): Locator {
    return this.page.locator(`[data-testid="user-row"][data-email="${email.toLowerCase()}"]`);
  }

  async disable(email: string) {
    const row = this.row(email);
    await row.getByRole("button", { name: "Disable" }).click();
    await expect(row.getByText("Disabled", { exact: true })).toBeVisible();
    await expect(row.getByRole("button", { name: "Enable" })).toBeVisible();
  }
}
