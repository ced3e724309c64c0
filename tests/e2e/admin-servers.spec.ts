import { expect, test } from "@playwright/test";
import { AdminGroupsPage } from "../pages/group-pages";
import { LoginPage } from "../pages/login";
import { EVERYTHING_SERVER, ServerPage, ServersPage } from "../pages/server-pages";
import { uniqueName } from "../support/people";

test.beforeEach(async ({ page }) => {
  await new LoginPage(page).signInAsAdmin();
});

test("an admin tests a stdio server before saving, adds it, and sees its tools", async ({ page }) => {
  const name = uniqueName("everything");
  const servers = new ServersPage(page);
  await servers.goto();
  await servers.form.fill({ name, type: "stdio", ...EVERYTHING_SERVER });

  await servers.form.testConnection();
  await expect(servers.form.testResult).toContainText("13 tools");
  await expect(servers.form.testResult).toContainText("(MCP 2025-11-25)");
  await expect(servers.form.testResult.getByText(`${name}-echo`)).toBeVisible();
  await expect(servers.form.testResult).toContainText("Not saved yet");
  await expect(servers.row(name)).toHaveCount(0);

  await servers.form.add();
  await expect(servers.form.message()).toContainText(`Added ${name}. Listed 13 tools.`);
  const row = servers.row(name);
  await expect(row.getByTestId("server-status")).toContainText("13 tools");
  // The revision the hub's connection negotiated with it.
  await expect(row.getByTestId("server-status")).toContainText("MCP 2025-11-25");
  await expect(row.getByTestId("server-isolation")).toHaveText("none: one shared connection");
  await expect(row.getByTestId("server-groups")).toHaveText("No group yet");
  // The form starts over for the next server.
  await expect(servers.form.input("name")).toHaveValue("");

  const server = new ServerPage(page);
  await server.goto(name);
  await expect(server.form.input("command")).toHaveValue("node");
  await expect(server.form.input("args")).toHaveValue(EVERYTHING_SERVER.args.join("\n"));
  await expect(page.getByTestId("tool-table").last()).toContainText(`${name}-get-sum`);
});

test("the server form answers each mistake beside its field", async ({ page }) => {
  const servers = new ServersPage(page);
  await servers.goto();
  const { form } = servers;

  await form.fill({
    name: uniqueName("broken"),
    type: "stdio",
    command: "",
    args: [`\${lower}`],
    env: ["NOEQUALS"],
  });
  await form.add();
  await expect(form.errorFor("env")).toContainText('Line 1 ("NOEQUALS") needs the form KEY=value');
  await form.fill({ env: [`TOKEN=\${USER_API_TOKEN}`] });
  await form.add();
  await expect(form.errorFor("command")).toContainText("A stdio server needs a command");
  await expect(form.message()).toHaveText("Some fields need fixing: see the messages below them.");
  await form.fill({ command: "node" });
  await form.add();
  await expect(form.errorFor("command")).toHaveCount(0);
  await expect(form.errorFor("args")).toContainText(`Line 1: \${lower} is not a template`);
  // What the typed configuration needs is shown while typing.
  await expect(page.getByTestId("template-needs")).toContainText("Credentials each person links: API_TOKEN");

  await form.fill({ type: "streamable-http", url: "https://example.com/mcp", headers: ["Bad Header: x"] });
  await form.add();
  await expect(form.errorFor("headers")).toContainText('"Bad Header" is not a valid header name');
  await form.fill({ url: "ftp://example.com/mcp", headers: ["X-Team: tests"] });
  await form.add();
  await expect(form.errorFor("url")).toContainText("The URL must start with http:// or https://");
  await expect(form.errorFor("headers")).toHaveCount(0);

  await form.fill({
    url: "https://example.com/mcp",
    headers: [`Authorization: Bearer \${USER_API_TOKEN}`],
    isolation: "none",
  });
  await form.add();
  await expect(form.errorFor("isolation")).toContainText('pick "token"');
});

test("test connection shows the upstream's error", async ({ page }) => {
  const servers = new ServersPage(page);
  await servers.goto();
  await servers.form.fill({
    name: uniqueName("missing"),
    type: "stdio",
    command: "definitely-not-a-command-xyz",
  });
  await servers.form.testConnection();
  await expect(servers.form.testResult).toContainText("The connection failed");
  await expect(servers.form.testResult).toContainText("The command was not found");
});

test("saving warns about risky isolation, and the list says why a server is isolated", async ({ page }) => {
  const name = uniqueName("risky");
  const servers = new ServersPage(page);
  await servers.addEverythingServer(name, { riskLevel: "high", isolation: "none" });
  await expect(servers.form.warnings).toContainText('Risk level high suggests isolation "process"');
  await expect(servers.row(name).getByTestId("server-isolation")).toHaveText(
    "none: shared by everyone despite high risk",
  );

  const server = new ServerPage(page);
  await server.goto(name);
  await server.form.fill({ isolation: "" });
  await server.form.save();
  await expect(server.form.message()).toContainText(`Saved ${name}. Listed 13 tools.`);
  await servers.goto();
  await expect(servers.row(name).getByTestId("server-isolation")).toHaveText("process: high risk");
});

test("test connection on a saved server records the result only while the form is unchanged", async ({
  page,
}) => {
  const name = uniqueName("recorded");
  await new ServersPage(page).addEverythingServer(name);
  const server = new ServerPage(page);
  await server.goto(name);

  await server.form.testConnection();
  await expect(server.form.testResult).toContainText("Recorded on the saved server.");

  await server.form.fill({ args: [...EVERYTHING_SERVER.args, "--unsaved"] });
  await server.form.testConnection();
  await expect(server.form.testResult).toContainText("Not recorded: the form has unsaved changes.");

  await server.form.fill({ command: "definitely-not-a-command-xyz", args: [] });
  await server.form.save();
  await expect(server.form.message()).toContainText("Listing its tools failed: The command was not found");
  await expect(server.status.getByTestId("server-status")).toContainText("Failed");
});

test("an admin disables, enables and deletes a server; deleting is refused while a group uses it", async ({
  page,
}) => {
  const name = uniqueName("lifecycle");
  const group = uniqueName("users-of-it");
  await new ServersPage(page).addEverythingServer(name);
  await new AdminGroupsPage(page).create({ name: group, servers: [name] });

  const server = new ServerPage(page);
  await server.goto(name);
  await server.toggleEnabled("Disable");
  await expect(page.getByText("Disabled", { exact: true }).first()).toBeVisible();
  await server.toggleEnabled("Enable");

  await server.delete();
  await expect(page.getByRole("alert").filter({ hasText: "is used by the group" })).toHaveText(
    `${name} is used by the group ${group}: remove it from it first`,
  );

  await page.goto(`/admin/groups/${group}`);
  await page.getByTestId("group-server").filter({ hasText: name }).locator("input[name=servers]").uncheck();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText(`Saved ${group}.`)).toBeVisible();

  await server.goto(name);
  await server.delete();
  await expect(page).toHaveURL(/\/admin\/servers$/);
  await expect(new ServersPage(page).row(name)).toHaveCount(0);
});
