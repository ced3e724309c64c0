import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { expect, test } from "@playwright/test";
import { AdminGroupsPage, MyGroupsPage } from "../pages/group-pages";
import { KeysPage } from "../pages/keys-page";
import { LoginPage } from "../pages/login";
import { ServersPage } from "../pages/server-pages";
import { HUB_URL } from "../support/env";
import { createPerson, uniqueName } from "../support/people";
import { fakeToken, replayRequests } from "../support/replay";
import { captureScreens } from "../support/screenshots";

test("an admin adds built-in GitHub and Notion; a person links a token and an MCP client lists their repositories", async ({
  page,
  browser,
  request,
}) => {
  test.slow();
  const github = uniqueName("github");
  const notion = uniqueName("notion");
  const group = uniqueName("github-readers");

  // The admin adds "GitHub (built-in)" and "Notion (built-in)" from the server form.
  await new LoginPage(page).signInAsAdmin();
  const servers = new ServersPage(page);
  await servers.goto();
  await servers.form.fill({ name: github, type: "builtin", description: "GitHub (built-in)" });
  await servers.form.input("builtin").selectOption("github");
  await expect(servers.form.root).toContainText("GITHUB_TOKEN");
  await servers.form.add();
  await expect(servers.form.message()).toContainText(
    `Added ${github}. Built into the hub: 18 tools, each person calls with their own GITHUB_TOKEN.`,
  );
  await servers.form.fill({ name: notion, type: "builtin", description: "Notion (built-in)" });
  await servers.form.input("builtin").selectOption("notion");
  await servers.form.add();
  await expect(servers.form.message()).toContainText(
    `Added ${notion}. Built into the hub: 8 tools, each person calls with their own NOTION_TOKEN.`,
  );
  await servers.goto();
  await expect(servers.row(github)).toContainText("builtin");

  // A public group offering two read-only GitHub tools, chosen on the group form.
  const groups = new AdminGroupsPage(page);
  await groups.create({
    name: group,
    description: "Read GitHub with your own token",
    servers: [{ name: github, tools: ["list_repositories", "get_repository"] }],
  });
  await expect(groups.form.message()).toContainText(`Created ${group} with 1 server.`);

  // A new person signs in and joins the group.
  const person = await createPerson(request, "octo");
  const context = await browser.newContext();
  const personPage = await context.newPage();
  await new LoginPage(personPage).signInAs(person);
  const myGroups = new MyGroupsPage(personPage);
  await myGroups.goto();
  await myGroups.press(group, "Join and activate");
  await expect(myGroups.group(group).getByText("Active", { exact: true })).toBeVisible();

  // They link their GitHub token on /account/connections.
  await personPage.goto("/account/connections");
  const card = personPage.locator('[data-testid="credential"][data-name="GITHUB_TOKEN"]');
  await expect(card).toContainText(`GitHub token`);
  await expect(card).toContainText(`used by ${github}`);
  await expect(card.getByTestId("credential-status")).toHaveText("Missing");
  const token = fakeToken("octo");
  await card.getByLabel("Value for GITHUB_TOKEN").fill(token);
  await card.getByRole("button", { name: "Link" }).click();
  await expect(card.getByTestId("credential-status")).toContainText(`Linked …${token.slice(-4)}`);
  expect(await personPage.content()).not.toContain(token);
  await captureScreens(personPage, test.info(), "builtin-github-linked");

  // A key, and an MCP client with it.
  const keys = new KeysPage(personPage);
  await keys.goto();
  const key = await keys.create("Octo laptop");
  const client = new Client({ name: "e2e-client", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${HUB_URL}/api/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${key}` } },
    }),
  );
  try {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      `${github}-get_repository`,
      `${github}-list_repositories`,
    ]);
    const result = await client.callTool({ name: `${github}-list_repositories`, arguments: {} });
    expect(result.isError).toBeFalsy();
    const text = (result.content as Array<{ text?: string }>).map((c) => c.text).join("\n");
    expect(text).toContain("3 repositories:\n- octocat/Hello-World - This your first repo!");
    expect(text).toContain("octocat/octo-private (private)");
    expect(result.structuredContent).toMatchObject({
      repositories: expect.arrayContaining([expect.objectContaining({ full_name: "octocat/Spoon-Knife" })]),
    });
  } finally {
    await client.close();
  }
  // GitHub (the replay server) saw exactly one request, with this person's own token.
  const seen = await replayRequests(token);
  expect(seen.map((r) => `${r.method} ${r.path} ${r.authorization}`)).toEqual([
    `GET /user/repos token ${token}`,
  ]);
  await context.close();
});
