import { expect, type Locator, type Page } from "@playwright/test";
import { ADMIN } from "../support/env";
import { submitToServerAction } from "./server-action";

/** /login: the password form and the buttons of the external sign-in providers. */
export class LoginPage {
  readonly form: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  /** The form's own answer (wrong password, disabled account, fields to fix). */
  readonly formMessage: Locator;
  /** The page-level message after a provider refused or failed a sign-in. */
  readonly providerError: Locator;

  constructor(readonly page: Page) {
    this.form = page.locator("main form").filter({ has: page.getByLabel("Password") });
    this.email = this.form.getByLabel("Email");
    this.password = this.form.getByLabel("Password");
    this.submit = this.form.getByRole("button", { name: "Sign in" });
    this.formMessage = this.form.getByRole("alert");
    this.providerError = page.locator("main > div").getByRole("alert");
  }

  async goto(next?: string) {
    await this.page.goto(next ? `/login?next=${encodeURIComponent(next)}` : "/login");
    await expect(this.page.getByRole("heading", { name: "Sign in to MCPHub" })).toBeVisible();
  }

  async signIn(email: string, password: string) {
    await this.email.fill(email);
    await this.password.fill(password);
    await submitToServerAction(this.page, this.submit);
  }

  /** Signs in and waits to leave /login. */
  async signInAs(user: { email: string; password: string }, next?: string) {
    await this.goto(next);
    await this.signIn(user.email, user.password);
    await expect(this.page).not.toHaveURL(/\/login/);
  }

  async signInAsAdmin() {
    await this.signInAs(ADMIN);
  }

  providerButton(name: string): Locator {
    return this.page.getByRole("button", { name: `Sign in with ${name}` });
  }
}
