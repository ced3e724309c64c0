import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { LoginPage } from "../pages/login";
import { connectV2, personWithEverything } from "../support/mcp";
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
