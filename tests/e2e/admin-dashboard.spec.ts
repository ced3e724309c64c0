import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { LoginPage } from "../pages/login";
import {
  apiOk,
  connectV2,
  createGroup,
  createPerson,
  createServer,
  EVERYTHING_STDIO,
  mcpRaw,
  personWithEverything,
  rpc,
  setGroupActive,
} from "../support/mcp";
import { captureScreens } from "../support/screenshots";

test("the dashboard shows calls made through /api/mcp; the audit filters narrow them and export CSV", async ({
  page,
}) => {
  test.slow();
  const { person, server } = await personWithEverything("e2e-dash");
  const { client } = await connectV2("/api/mcp", person.key);
  try {
    // More calls than most other tests make, so this server and person rank in the top lists.
    for (let i = 0; i < 10; i += 1)
      await client.callTool({ name: `${server}-echo`, arguments: { message: `hi ${i}` } });
    for (let i = 0; i < 2; i += 1) await client.callTool({ name: `${server}-echo`, arguments: {} });
  } finally {
    await client.close();
  }

  await new LoginPage(page).signInAsAdmin();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await page.getByRole("navigation", { name: "Time range" }).getByRole("link", { name: "1h" }).click();
  await expect(page).toHaveURL(/\/admin\?range=1h$/);
  await expect(page.getByRole("img", { name: /Tool calls over the last hour/ })).toBeVisible();

  const servers = page.getByTestId("latency-servers");
  const serverRow = servers
    .getByRole("row")
    .filter({ has: page.getByRole("link", { name: server, exact: true }) });
  await expect(serverRow).toHaveCount(1);
  // calls, error rate (2 of 12 answered isError), then three latency percentiles.
  await expect(serverRow.getByRole("cell").nth(1)).toHaveText("12");
  await expect(serverRow.getByRole("cell").nth(2)).toHaveText("16.7%");
  await expect(page.getByTestId("active-people").getByRole("link", { name: person.email })).toBeVisible();
  await captureScreens(page, test.info(), "admin-dashboard");

  // From the dashboard to the calls of that server.
  await serverRow.getByRole("link", { name: server, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/audit\\?server=${server}&from=`));
  await expect(page.getByTestId("audit-row")).toHaveCount(12);

  const filters = page.getByRole("form", { name: "Filter calls" });
  await filters.getByLabel("Status").selectOption("tool_error");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/status=tool_error/);
  await expect(page.getByTestId("audit-row")).toHaveCount(2);
  await filters.getByLabel("Person").fill(person.email);
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/user=/);
  await expect(page.getByTestId("audit-row")).toHaveCount(2);
  await captureScreens(page, test.info(), "admin-audit");

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^mcphub-calls-.+\.csv$/);
  const lines = (await readFile((await download.path()) ?? "", "utf8")).trim().split("\r\n");
  expect(lines[0]).toMatch(/^at,user_email,/);
  expect(lines).toHaveLength(3);
  for (const line of lines.slice(1)) {
    expect(line).toContain(person.email);
    expect(line).toContain(`,${server},echo,tool_error,`);
  }

  // The second view: who created that server.
  await page.getByRole("link", { name: "Admin changes" }).click();
  const changes = page.getByRole("form", { name: "Filter changes" });
  await changes.getByLabel("Target").fill(server);
  await changes.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/audit/changes\\?.*target=${server}`));
  const rows = page.getByTestId("admin-event-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("server.create");
});

test("a server whose every call the hub answered itself shows no latency: – in the table, a note in the chart", async ({
  page,
}) => {
  test.slow();
  // A server of per-person processes that needs each person's own token.
  const server = await createServer("refused", {
    ...EVERYTHING_STDIO,
    env: { SVC: "${USER_SVC_TOKEN}" },
    isolation: "process",
  });
  const group = await createGroup([server]);
  const [linked, unlinked] = await Promise.all([createPerson("linked"), createPerson("unlinked")]);
  for (const person of [linked, unlinked]) await setGroupActive(person, group);
  await apiOk("PUT", "/api/v1/me/credentials/SVC_TOKEN", {
    key: linked.key,
    body: { value: "linked-token" },
  });
  // Someone who linked the token lists the tools, so the hub knows them...
  const listed = await mcpRaw("/api/mcp", rpc("tools/list"), { key: linked.key });
  expect(listed.message.result.tools.map((t: { name: string }) => t.name)).toContain(`${server}-echo`);
  // ...and someone who did not calls one: each call is answered by the hub (link your token first),
  // logged as credential_missing, and never reaches the server. More calls than most tests make,
  // so the server ranks in the dashboard's top list.
  for (let i = 0; i < 16; i += 1) {
    const call = await mcpRaw(
      "/api/mcp",
      rpc("tools/call", { name: `${server}-echo`, arguments: { message: `try ${i}` } }),
      { key: unlinked.key },
    );
    expect(call.message.result.isError).toBe(true);
  }

  await new LoginPage(page).signInAsAdmin();
  await page.goto("/admin?range=1h");
  const row = page
    .getByTestId("latency-servers")
    .getByRole("row")
    .filter({ has: page.getByRole("link", { name: server, exact: true }) });
  await expect(row.getByRole("cell")).toHaveText([server, "16", "100.0%", "–", "–", "–"]);
  // Not a zero-length bar that reads as 0 ms: the chart says why there is no bar.
  const chartRow = page.getByTestId("latency-chart").first().locator("g").filter({ hasText: server });
  await expect(chartRow).toHaveText(`${server}no call reached the server`);
});
