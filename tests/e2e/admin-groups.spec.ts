import { expect, test } from "@playwright/test";
import { AdminGroupPage, AdminGroupsPage } from "../pages/group-pages";
import { LoginPage } from "../pages/login";
import { ServersPage } from "../pages/server-pages";
import { createPerson, uniqueName } from "../support/people";

test.beforeEach(async ({ page }) => {
  await new LoginPage(page).signInAsAdmin();
});

test("an admin creates a public group exposing chosen tools of a server", async ({ page }) => {
  test.slow();
  const server = uniqueName("chosen");
  const group = uniqueName("team");
  await new ServersPage(page).addEverythingServer(server);

  const groups = new AdminGroupsPage(page);
  await groups.create({
    name: group,
    description: "Tools for the test team",
    servers: [{ name: server, tools: ["echo", "get-sum"] }],
  });
  await expect(groups.form.message()).toContainText(`Created ${group} with 1 server.`);
  await expect(groups.row(group).getByTestId("group-servers")).toHaveText(`${server} (2 chosen)`);

  const edit = new AdminGroupPage(page);
  await edit.goto(group);
  const row = edit.form.server(server);
  await expect(row.getByLabel("Only the tools I tick")).toBeChecked();
  await expect(row.locator('input[value="echo"]')).toBeChecked();
  await expect(row.locator('input[value="get-env"]')).not.toBeChecked();
  await expect(row.getByText(`${server}-get-sum`)).toBeVisible();

  await row.locator('input[value="echo"]').uncheck();
  await row.locator('input[value="get-sum"]').uncheck();
  await edit.form.submit("Save changes");
  await expect(row).toContainText(`Tick at least one tool of ${server}, or expose all of them`);

  await row.getByLabel("All tools, including ones it adds later").check();
  await edit.form.submit("Save changes");
  await expect(edit.form.message()).toHaveText(`Saved ${group}.`);

  await new ServersPage(page).goto();
  await expect(new ServersPage(page).row(server).getByTestId("server-groups")).toHaveText(group);
});

test("a group whose tool names would collide is refused with the names", async ({ page }) => {
  test.slow();
  const first = uniqueName("plain-a");
  const second = uniqueName("plain-b");
  const servers = new ServersPage(page);
  await servers.addEverythingServer(first, { noPrefix: true });
  await servers.addEverythingServer(second, { noPrefix: true });

  const groups = new AdminGroupsPage(page);
  const name = uniqueName("clash");
  await groups.create({ name, servers: [first, second] });
  await expect(groups.form.serversError).toContainText("These tool names would collide");
  await expect(groups.form.serversError).toContainText(`echo (${first}/echo, ${second}/echo)`);
  await expect(groups.row(name)).toHaveCount(0);

  // Choosing different tools from each resolves it.
  await groups.form.server(first).getByLabel("Only the tools I tick").check();
  await groups.form.server(first).locator('input[value="echo"]').check();
  await groups.form.server(second).getByLabel("Only the tools I tick").check();
  await groups.form.server(second).locator('input[value="get-sum"]').check();
  await groups.form.submit("Create group");
  await expect(groups.form.message()).toContainText(`Created ${name} with 2 servers.`);
});

test("a critical server is refused in a public group", async ({ page }) => {
  const server = uniqueName("critical");
  await new ServersPage(page).addEverythingServer(server, { riskLevel: "critical" });
  const groups = new AdminGroupsPage(page);
  const name = uniqueName("open");
  await groups.create({ name, visibility: "public", servers: [server] });
  await expect(groups.form.root).toContainText(
    `${server} is critical: critical servers belong in restricted groups only`,
  );
  await groups.form.fill({ visibility: "restricted" });
  await groups.form.submit("Create group");
  await expect(groups.form.message()).toContainText(`Created ${name} with 1 server.`);
});

test("an admin adds and removes members of a restricted group by email", async ({ page, request }) => {
  const person = await createPerson(request, "member");
  const name = uniqueName("closed");
  const groups = new AdminGroupsPage(page);
  await groups.create({ name, visibility: "restricted" });
  await expect(groups.form.message()).toContainText(`Created ${name} with 0 servers.`);

  const group = new AdminGroupPage(page);
  await group.goto(name);
  await expect(group.members.getByTestId("members-empty")).toBeVisible();

  await group.addMember("nobody-here@mcphub.test");
  await expect(group.members.locator("#member-email-error")).toHaveText(
    "No account with this email: add the person on Users first",
  );

  await group.addMember(person.email.toUpperCase());
  await expect(group.members.getByRole("status")).toHaveText(`${person.email} is a member of ${name}.`);
  await expect(group.member(person.email)).toContainText("Active");

  await group.member(person.email).getByRole("button", { name: "Remove" }).click();
  await expect(group.member(person.email)).toHaveCount(0);
  await expect(group.members.getByTestId("members-empty")).toBeVisible();
});
