import { expect, test } from "@playwright/test";
import { AdminGroupsPage, MyGroupsPage } from "../pages/group-pages";
import { AdminUsersPage, KeysPage } from "../pages/keys-page";
import { LoginPage } from "../pages/login";
import { ServersPage } from "../pages/server-pages";
import { HUB_URL } from "../support/env";
import { createPerson, uniqueName, whoHasKey } from "../support/people";

const endpoint = `${HUB_URL}/api/mcp`;

test("an admin offers a server in a public group; a person joins it, creates a key and gets a client snippet", async ({
  page,
  browser,
  request,
}) => {
  test.slow();
  const server = uniqueName("shared-tools");
  const group = uniqueName("everyone");

  await new LoginPage(page).signInAsAdmin();
  await new ServersPage(page).addEverythingServer(server);
  const adminGroups = new AdminGroupsPage(page);
  await adminGroups.create({ name: group, description: "Tools for everybody", servers: [server] });
  await expect(adminGroups.form.message()).toContainText(`Created ${group} with 1 server.`);

  const person = await createPerson(request, "joiner");
  const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const personPage = await context.newPage();
  await new LoginPage(personPage).signInAs(person);

  const groups = new MyGroupsPage(personPage);
  await groups.goto();
  await expect(groups.gettingStarted).toContainText(/Start by joining a group|There are no groups yet/);
  const card = groups.group(group);
  await expect(card).toContainText("Not joined");
  await expect(card).toContainText("Tools for everybody");
  await expect(card.getByTestId("my-group-servers")).toContainText(`${server}13 tools`);

  await groups.press(group, "Join and activate");
  await expect(card.getByText("Active", { exact: true })).toBeVisible();
  await expect(personPage.getByTestId("active-summary")).toContainText(`${endpoint} serves ${group}`);
  await expect(groups.gettingStarted).toHaveCount(0);

  await groups.press(group, "Deactivate");
  await expect(card.getByText("Inactive", { exact: true })).toBeVisible();
  await expect(groups.gettingStarted).toContainText("None of your groups is active");
  await groups.press(group, "Activate");
  await expect(card.getByText("Active", { exact: true })).toBeVisible();

  const keys = new KeysPage(personPage);
  await keys.goto();
  await expect(personPage.getByTestId("keys-empty")).toBeVisible();
  await expect(keys.snippet).toContainText(endpoint);
  await expect(keys.snippet).toContainText("<your-mcphub-key>");

  const key = await keys.create("Laptop");
  expect(key).toMatch(/^mcphub_[A-Za-z0-9_-]{43}$/);
  await expect(keys.newKey).toContainText("Copy your new key Laptop now: it will not be shown again.");
  await keys.newKey.getByRole("button", { name: "Copy key" }).click();
  await expect(keys.newKey.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await personPage.evaluate(() => navigator.clipboard.readText())).toBe(key);

  // The snippets carry the fresh key for as long as the page is open.
  await expect(keys.snippet).toContainText(`"AUTH_TOKEN": "${key}"`);
  await expect(keys.snippet).toContainText(endpoint);
  await keys.showClient("Claude Code");
  await expect(keys.snippet).toHaveText(
    `claude mcp add --transport http mcphub ${endpoint} --header "Authorization: Bearer ${key}"`,
  );
  await keys.showClient("VS Code");
  await expect(keys.snippet).toContainText('"type": "http"');
  await expect(keys.snippet).toContainText(`\${input:mcphub-key}`);
  await keys.showClient("MCP Inspector");
  await expect(keys.snippet).toContainText(`--cli ${endpoint} --transport http --method tools/list`);

  expect(await whoHasKey(request, key)).toBe(person.email);

  // After a reload only the hint is left.
  await personPage.reload();
  await expect(keys.newKey).toHaveCount(0);
  await expect(keys.row("Laptop").getByTestId("key-hint")).toHaveText(`mcphub_…${key.slice(-4)}`);
  // whoHasKey used it above.
  await expect(keys.row("Laptop")).toContainText("last used just now");
  expect(await personPage.content()).not.toContain(key);
  await expect(keys.snippet).toContainText("<your-mcphub-key>");

  // The admin sees the person's group and key, and can revoke the key.
  const users = new AdminUsersPage(page);
  await users.goto();
  await expect(users.row(person.email).getByTestId("user-groups")).toHaveText(group);
  await expect(users.row(person.email).getByTestId("user-keys")).toContainText(
    `Laptopmcphub_…${key.slice(-4)}`,
  );
  await users.revokeKey(person.email, "Laptop");
  expect(await whoHasKey(request, key)).toBe(401);

  await keys.goto();
  await expect(keys.row("Laptop")).toHaveCount(0);
  await expect(personPage.getByText("1 revoked key is not shown.")).toBeVisible();
  await context.close();
});

test("a person revokes their own key, and an expiry must lie in the future", async ({ page, request }) => {
  const person = await createPerson(request, "keyholder");
  await new LoginPage(page).signInAs(person);
  const keys = new KeysPage(page);
  await keys.goto();

  await keys.fillAndSubmit("Old laptop", "2020-01-31");
  await expect(keys.createForm.locator("#key-expires-error")).toHaveText("expiresAt must be in the future");
  await keys.fillAndSubmit("", undefined);
  await expect(keys.createForm.locator("#key-name-error")).toContainText("Name the key");

  const nextYear = new Date().getUTCFullYear() + 1;
  const key = await keys.create("CI runner", `${nextYear}-06-30`);
  await page.reload();
  await expect(keys.row("CI runner")).toContainText(`expires Jun 30, ${nextYear}`);
  expect(await whoHasKey(request, key)).toBe(person.email);

  await keys.revoke("CI runner");
  expect(await whoHasKey(request, key)).toBe(401);
});

test("a person sees restricted groups only once an admin adds them, and cannot leave them", async ({
  page,
  browser,
  request,
}) => {
  const person = await createPerson(request, "restricted");
  const name = uniqueName("inner-circle");
  await new LoginPage(page).signInAsAdmin();
  await new AdminGroupsPage(page).create({ name, visibility: "restricted" });

  const context = await browser.newContext();
  const personPage = await context.newPage();
  await new LoginPage(personPage).signInAs(person);
  const groups = new MyGroupsPage(personPage);
  await groups.goto();
  await expect(groups.group(name)).toHaveCount(0);

  await page.goto(`/admin/groups/${name}`);
  await page.getByLabel("Add a person by email").fill(person.email);
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByText(`${person.email} is a member of ${name}.`)).toBeVisible();

  await groups.goto();
  await expect(groups.group(name)).toContainText("Active");
  await expect(groups.group(name)).toContainText("an admin manages your membership");
  await expect(groups.group(name).getByRole("button", { name: "Leave" })).toHaveCount(0);
  await groups.press(name, "Deactivate");
  await expect(groups.group(name).getByText("Inactive", { exact: true })).toBeVisible();
  await context.close();
});
