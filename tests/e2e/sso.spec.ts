import { expect, test } from "@playwright/test";
import { LoginPage } from "../pages/login";
import { OidcProviderLogin } from "../pages/oidc-provider";
import { PortalHomePage } from "../pages/portal-home";
import { HUB_URL } from "../support/env";
import { captureScreens } from "../support/screenshots";
import { uniqueName } from "../support/users";

// Sign-in through the real local OpenID Connect provider the test run starts
// (tests/fixtures/oidc-provider.mjs): any login name becomes `<name>@sso.test`.
test.describe("single sign-on", () => {
  test("a new person signs in through SSO and lands on the portal home as a user", async ({
    page,
  }, testInfo) => {
    const name = uniqueName("sso");
    const login = new LoginPage(page);
    await login.goto();
    await login.providerButton("Test SSO").click();
    await new OidcProviderLogin(page).signIn(name);

    const home = new PortalHomePage(page);
    await home.expectLoaded();
    await expect(home.heading).toHaveText(`Welcome, SSO ${name}`);
    await expect(home.signedInAs).toHaveText(`${name}@sso.test`);
    await expect(home.endpoint).toHaveText(`${HUB_URL}/api/mcp`);
    await captureScreens(page, testInfo, "portal-home-sso");

    // A person created by SSO is an ordinary user.
    const admin = await page.goto("/admin/users");
    expect(admin?.status()).toBe(403);

    // Signing out ends the session; the next visit asks to sign in again.
    await page.goto("/");
    await home.signOut.click();
    await expect(page).toHaveURL(/\/login(\?|$)/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/login(\?|$)/);
  });

  test("an SSO account whose email the provider did not verify is refused on /login", async ({
    page,
  }, testInfo) => {
    const name = uniqueName("unverified");
    const login = new LoginPage(page);
    await login.goto();
    await login.providerButton("Test SSO").click();
    await new OidcProviderLogin(page).signIn(name);

    await expect(page).toHaveURL((url) => url.origin === HUB_URL && url.pathname === "/login");
    await expect(login.providerError).toHaveText(
      "That account may not sign in here: it is disabled, or the provider did not confirm its email address.",
    );
    await captureScreens(page, testInfo, "login-sso-refused");

    await page.goto("/");
    await expect(page).toHaveURL(/\/login(\?|$)/);
  });
});
