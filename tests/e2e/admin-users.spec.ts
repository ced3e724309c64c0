import { type Browser, expect, type Page, test } from "@playwright/test";
import { AdminUsersPage } from "../pages/admin-users";
import { LoginPage } from "../pages/login";
import { PortalHomePage } from "../pages/portal-home";
import { ADMIN, HUB_URL } from "../support/env";
import { captureScreens } from "../support/screenshots";
import { uniqueUser } from "../support/users";

/** A separate browser context (its own cookies) signed in through /login. */
async function signedInPage(browser: Browser, user: { email: string; password: string }): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await new LoginPage(page).signInAs(user);
  return page;
}

test.describe("admin users", () => {
  test("an admin creates a user, who signs in and cannot reach /admin", async ({
    page,
    browser,
  }, testInfo) => {
    // By the end of a full run the users table holds every person the suite made, and this test
    // takes full-page screenshots of it on two viewports: on a busy 2-core machine that passes 30 s.
    test.slow();
    const person = uniqueUser("ada");
    const login = new LoginPage(page);
    await login.goto();
    await captureScreens(page, testInfo, "login");
    await login.signIn(ADMIN.email, ADMIN.password);
    await new PortalHomePage(page).expectLoaded();

    const users = new AdminUsersPage(page);
    await users.goto();
    await users.createUser(person);
    const row = users.row(person.email);
    await expect(row).toContainText(person.name);
    await expect(row.getByRole("cell", { name: "User", exact: true })).toBeVisible();
    await expect(row.getByText("Active", { exact: true })).toBeVisible();
    await captureScreens(page, testInfo, "admin-users");

    const personPage = await signedInPage(browser, person);
    try {
      const home = new PortalHomePage(personPage);
      await home.expectLoaded();
      await expect(home.signedInAs).toHaveText(person.email);
      await expect(home.endpoint).toHaveText(`${HUB_URL}/api/mcp`);
      await expect(personPage.getByRole("link", { name: "Users" })).toHaveCount(0);
      await captureScreens(personPage, testInfo, "portal-home");

      for (const path of ["/admin/users", "/admin"]) {
        const response = await personPage.goto(path);
        expect(response?.status(), path).toBe(403);
        await expect(personPage.getByRole("heading", { name: "Admins only" })).toBeVisible();
        await expect(personPage.getByRole("heading", { name: "Users" })).toHaveCount(0);
        await expect(personPage.getByText(ADMIN.email)).toHaveCount(0);
      }
      await captureScreens(personPage, testInfo, "forbidden");
      await personPage.getByRole("link", { name: "Back to your home page" }).click();
      await home.expectLoaded();
    } finally {
      await personPage.context().close();
    }
  });

  test("the create-user form answers bad input next to the field", async ({ page }) => {
    const person = uniqueUser("grace");
    await new LoginPage(page).signInAs(ADMIN);
    const users = new AdminUsersPage(page);
    await users.goto();

    await users.fillCreateForm({ ...person, email: "grace.example.test", role: "admin" });
    await users.submitCreateForm();
    await expect(users.email).toHaveAccessibleDescription(/Enter a valid email address/);
    await expect(users.createError).toBeVisible();
    // The refused form keeps what was typed, so only the mistake needs fixing.
    await expect(users.email).toHaveValue("grace.example.test");
    await expect(users.name).toHaveValue(person.name);
    await expect(users.role).toHaveValue("admin");

    await users.fillCreateForm({ ...person, password: "seven77" });
    await users.submitCreateForm();
    await expect(users.password).toHaveAccessibleDescription("Use at least 8 characters");
    await expect(users.email).not.toHaveAttribute("aria-invalid", "true");

    await users.fillCreateForm({ ...person, email: ADMIN.email.toUpperCase() });
    await users.submitCreateForm();
    await expect(users.email).toHaveAccessibleDescription("This email is already in use");
    await expect(users.createError).toHaveText(`A user with the email ${ADMIN.email} already exists`);

    // None of the refused attempts created anyone; the corrected form does.
    await expect(users.row(person.email)).toHaveCount(0);
    await users.createUser(person);
    await expect(users.email).not.toHaveAttribute("aria-invalid", "true");
  });

  test("a disabled user is signed out on their next page load and cannot sign in again", async ({
    page,
    browser,
  }) => {
    const person = uniqueUser("linus");
    await new LoginPage(page).signInAs(ADMIN);
    const users = new AdminUsersPage(page);
    await users.goto();
    await users.createUser(person);

    const personPage = await signedInPage(browser, person);
    try {
      await new PortalHomePage(personPage).expectLoaded();

      await users.disable(person.email);

      await personPage.reload();
      await expect(personPage).toHaveURL(/\/login(\?|$)/);
      const login = new LoginPage(personPage);
      await login.signIn(person.email, person.password);
      await expect(login.formMessage).toHaveText("This account is disabled. Ask an admin to enable it.");
      await personPage.goto("/");
      await expect(personPage).toHaveURL(/\/login(\?|$)/);
    } finally {
      await personPage.context().close();
    }
  });

  test("a wrong password and an unknown email get the same answer on /login", async ({ page }, testInfo) => {
    const login = new LoginPage(page);
    await login.goto();

    await login.signIn(ADMIN.email, "not-the-admin-password");
    await expect(login.formMessage).toHaveText("Wrong email or password.");
    await expect(login.email).toHaveValue(ADMIN.email);
    await expect(login.password).toHaveValue("");
    await captureScreens(page, testInfo, "login-wrong-password");

    await login.signIn(uniqueUser("nobody").email, "not-the-admin-password");
    await expect(login.formMessage).toHaveText("Wrong email or password.");
    await expect(page).toHaveURL(/\/login/);

    await page.goto("/");
    await expect(page).toHaveURL(/\/login(\?|$)/);
  });
});
