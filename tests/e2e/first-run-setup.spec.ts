import { expect, test } from "@playwright/test";
import { AdminUsersPage } from "../pages/admin-users";
import { LoginPage } from "../pages/login";
import { SetupPage } from "../pages/setup";
import { captureScreens } from "../support/screenshots";
import { type SpawnedHub, spawnHub } from "../support/spawn-hub";
import { uniqueUser } from "../support/users";

// The shared test hub already has an admin, so this story needs a hub of its own: started without
// MCPHUB_ADMIN_EMAIL, it prints a one-time setup code and serves /setup until someone uses it.
let hub: SpawnedHub;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  hub = await spawnHub({ label: "first-run" });
});

test.afterAll(async () => {
  await hub?.stop();
});

test("the first admin is created on /setup with the code from the server log, once", async ({
  browser,
}, testInfo) => {
  test.setTimeout(90_000);
  const printed = await hub.waitForLogEntry((entry) => typeof entry.setupCode === "string");
  const code = String(printed.setupCode);
  expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
  expect(printed.msg).toContain(`${hub.url}/setup`);

  const admin = uniqueUser("founder");
  const context = await browser.newContext({ baseURL: hub.url });
  // A second visitor who opened /setup too and submits after the admin exists.
  const lateContext = await browser.newContext({ baseURL: hub.url });
  try {
    const page = await context.newPage();
    const login = new LoginPage(page);
    const setup = new SetupPage(page);

    await test.step("the sign-in page points to the unfinished setup", async () => {
      await login.goto();
      await page.getByRole("link", { name: "Finish the first-run setup" }).click();
      await expect(page).toHaveURL(`${hub.url}/setup`);
      await expect(setup.code).toBeVisible();
      await captureScreens(page, testInfo, "setup");
    });

    const late = new SetupPage(await lateContext.newPage());
    await late.goto();

    await test.step("a wrong code is refused on the form", async () => {
      await setup.submitWith({ code: "AAAA-BBBB-CCCC", ...admin });
      await expect(setup.formMessage).toHaveText("The setup code is wrong or was already used");
      await expect(setup.code).toHaveAttribute("aria-invalid", "true");
      await expect(setup.code).toHaveAccessibleDescription(/Wrong or used code: copy the latest code/);
      // What was typed stays, except the password.
      await expect(setup.code).toHaveValue("AAAA-BBBB-CCCC");
      await expect(setup.email).toHaveValue(admin.email);
      await expect(setup.name).toHaveValue(admin.name);
      await expect(setup.password).toHaveValue("");
      await captureScreens(page, testInfo, "setup-wrong-code");
    });

    await test.step("an invalid email is answered next to the field", async () => {
      await setup.submitWith({ ...admin, code, email: "not-an-email" });
      await expect(setup.email).toHaveAccessibleDescription(/Enter a valid email address/);
      await expect(setup.formMessage).toBeVisible();
      await expect(setup.code).not.toHaveAttribute("aria-invalid", "true");
    });

    await test.step("a short password is answered next to the field", async () => {
      await setup.submitWith({ ...admin, code, password: "short" });
      await expect(setup.password).toHaveAccessibleDescription("Use at least 8 characters");
      await expect(setup.email).not.toHaveAttribute("aria-invalid", "true");
    });

    await test.step("the right code creates the admin, signed in on /admin/users", async () => {
      await setup.submitWith({ ...admin, code });
      await expect(page).toHaveURL(`${hub.url}/admin/users`);
      const users = new AdminUsersPage(page);
      await expect(users.heading).toBeVisible();
      const row = users.row(admin.email);
      await expect(row).toContainText(admin.name);
      await expect(row.getByRole("cell", { name: "Admin", exact: true })).toBeVisible();
      await expect(page.getByTestId("signed-in-as")).toHaveText(admin.email);
    });

    await test.step("/setup is gone once an admin exists", async () => {
      const response = await page.goto("/setup");
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    });

    await test.step("the same code cannot be used again", async () => {
      await late.submitWith({ ...uniqueUser("latecomer"), code });
      await expect(late.formMessage).toHaveText("Setup is already complete: sign in instead");
      await expect(late.page).toHaveURL(`${hub.url}/setup`);
    });

    await test.step("the new admin signs in again with the chosen password", async () => {
      const fresh = await browser.newContext({ baseURL: hub.url });
      try {
        const again = new LoginPage(await fresh.newPage());
        await again.goto();
        await expect(again.page.getByText("This hub has no admin yet")).toHaveCount(0);
        await again.signIn(admin.email, admin.password);
        await expect(again.page).toHaveURL(`${hub.url}/`);
      } finally {
        await fresh.close();
      }
    });
  } finally {
    await context.close();
    await lateContext.close();
  }
});
