import { expect, type Locator, type Page } from "@playwright/test";
import { submitToServerAction } from "./server-action";

/** /setup: the first admin, created with the one-time code the server printed. */
export class SetupPage {
  readonly form: Locator;
  readonly code: Locator;
  readonly email: Locator;
  readonly name: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly formMessage: Locator;

  constructor(readonly page: Page) {
    this.form = page.locator("main form");
    this.code = this.form.getByLabel("Setup code");
    this.email = this.form.getByLabel("Your email");
    this.name = this.form.getByLabel("Your name");
    this.password = this.form.getByLabel("Password");
    this.submit = this.form.getByRole("button", { name: "Create admin account" });
    this.formMessage = this.form.getByRole("alert");
  }

  async goto() {
    const response = await this.page.goto("/setup");
    await expect(this.page.getByRole("heading", { name: "Set up MCPHub" })).toBeVisible();
    return response;
  }

  async submitWith(input: { code: string; email: string; name?: string; password: string }) {
    await this.code.fill(input.code);
    await this.email.fill(input.email);
    await this.name.fill(input.name ?? "");
    await this.password.fill(input.password);
    await submitToServerAction(this.page, this.submit);
  }
}
