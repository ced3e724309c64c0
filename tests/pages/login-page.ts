import { expect, type Page } from "@playwright/test";
import { ADMIN } from "../support/env";

export class LoginPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/login");
  }

  /** Signs in with email and password and waits to leave the login page. */
  async signIn(email: string, password: string) {
    await this.goto();
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(this.page).not.toHaveURL(/\/login/);
  }

  async signInAsAdmin() {
    await this.signIn(ADMIN.email, ADMIN.password);
  }
}
