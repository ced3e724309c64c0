import { expect, type Page } from "@playwright/test";
import { OIDC_ISSUER } from "../support/env";

/**
 * The development login screen of the local OpenID Connect provider (tests/fixtures/oidc-provider.mjs):
 * any login name and password sign in, then a consent screen asks to continue to the hub.
 */
export class OidcProviderLogin {
  constructor(readonly page: Page) {}

  async signIn(login: string) {
    await expect(this.page).toHaveURL((url) => url.origin === OIDC_ISSUER);
    const form = this.page.locator("form").filter({ has: this.page.locator('input[name="login"]') });
    await form.locator('input[name="login"]').fill(login);
    await form.locator('input[name="password"]').fill("any-password");
    await form.getByRole("button", { name: "Sign-in" }).click();
    // The first sign-in of each login asks to authorize the hub.
    await this.page.getByRole("button", { name: "Continue" }).click();
  }
}
