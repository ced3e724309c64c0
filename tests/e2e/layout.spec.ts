import { expect, type Page, test } from "@playwright/test";
import { AdminGroupsPage, MyGroupsPage } from "../pages/group-pages";
import { KeysPage } from "../pages/keys-page";
import { LoginPage } from "../pages/login";
import { ServerPage, ServersPage } from "../pages/server-pages";
import {
  connectV2,
  createGroup,
  createPerson,
  createServer,
  EVERYTHING_STDIO,
  setGroupActive,
} from "../support/mcp";
import { uniqueName } from "../support/people";
import { expectNoSidewaysScroll, snap } from "../support/screenshots";

const sizes = [
  { label: "laptop", width: 1280, height: 800 },
  { label: "phone", width: 390, height: 844 },
] as const;

async function visitAll(page: Page, server: string, group: string, label: string) {
  const pages: Array<[string, string, string]> = [
    ["/admin/servers", "Servers", "admin-servers"],
    [`/admin/servers/${server}`, server, "admin-server-edit"],
    ["/admin/groups", "Groups", "admin-groups"],
    [`/admin/groups/${group}`, group, "admin-group-edit"],
    ["/admin/users", "Users", "admin-users"],
    ["/admin/processes", "Processes", "admin-processes"],
    ["/admin/limits", "Rate limits", "admin-limits"],
    ["/admin", "Dashboard", "admin-dashboard"],
    ["/admin/audit", "Audit", "admin-audit"],
    ["/admin/audit/changes", "Audit", "admin-audit-changes"],
    ["/groups", "Groups", "portal-groups"],
    ["/account/keys", "Keys", "portal-keys"],
  ];
  for (const [path, heading, name] of pages) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: heading, exact: true })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await snap(page, `${name}-${label}`);
  }
}

test("every new page fits a laptop and a phone without sideways scrolling", async ({ page }) => {
  test.slow();
  const server = uniqueName("layout");
  const group = uniqueName("layout-group");
  await new LoginPage(page).signInAsAdmin();
  await new ServersPage(page).addEverythingServer(server, { description: "The MCP everything server" });
  await new AdminGroupsPage(page).create({
    name: group,
    servers: [{ name: server, tools: ["echo", "get-sum"] }],
  });
  const groups = new MyGroupsPage(page);
  await groups.goto();
  await groups.press(group, "Join and activate");
  await expect(groups.group(group).getByText("Active", { exact: true })).toBeVisible();

  // The dashboard lists servers and tools by name; a long one without a hyphen to break at must wrap, not widen the
  // page. Enough calls that it ranks among the dashboard's top rows whatever else ran today.
  const longServer = await createServer("layout_a_server_name_as_long_as_people_write_them", {
    ...EVERYTHING_STDIO,
    toolPrefix: "layout",
  });
  const caller = await createPerson("layout");
  await setGroupActive(caller, await createGroup([longServer]));
  const { client } = await connectV2("/api/mcp", caller.key);
  try {
    for (let i = 0; i < 20; i += 1)
      await client.callTool({ name: "layout-echo", arguments: { message: "hi" } });
  } finally {
    await client.close();
  }
  await page.goto("/admin");
  await expect(page.getByTestId("latency-servers").getByRole("link", { name: longServer })).toBeVisible();

  for (const size of sizes) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await visitAll(page, server, group, size.label);
  }

  // The states right after an action: a connection test's tools, and a key shown once.
  const edit = new ServerPage(page);
  await edit.goto(server);
  await edit.form.testConnection();
  await expect(edit.form.testResult).toContainText("13 tools");
  await snap(page, "admin-server-tested-phone");
  const keys = new KeysPage(page);
  await keys.goto();
  await keys.create(uniqueName("screenshot"));
  await expectNoSidewaysScroll(page);
  await snap(page, "portal-keys-new-key-phone");
});
