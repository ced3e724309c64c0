import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { LoginPage } from "../pages/login";

test("an admin imports a file with good and bad entries, sees the report, and exports", async ({ page }) => {
  const suffix = randomUUID().slice(0, 6);
  const good = `imported-${suffix}`;
  const renamed = `Team Wiki (${suffix})`;
  const bad = `broken-${suffix}`;
  const file = {
    mcpServers: {
      [good]: {
        command: "node",
        args: ["node_modules/@modelcontextprotocol/server-everything/dist/index.js", "stdio"],
      },
      [renamed]: {
        type: "streamable-http",
        url: "http://127.0.0.1:9/mcp",
        headers: { Authorization: "Bearer ${USER_WIKI_TOKEN}" },
      },
      [bad]: { type: "stdio" },
    },
    groups: [{ name: `imported-group-${suffix}`, servers: [good] }],
  };

  await new LoginPage(page).signInAsAdmin();
  await page.goto("/admin/settings");
  await page.getByLabel("…or paste it").fill(JSON.stringify(file));
  await page.getByRole("button", { name: "Import" }).click();

  const report = page.getByTestId("import-report");
  await expect(report).toBeVisible();
  await expect(report.locator('[data-status="created"]').filter({ hasText: `server ${good}` })).toBeVisible();
  await expect(
    report.locator('[data-status="created"]').filter({ hasText: `renamed from "${renamed}"` }),
  ).toBeVisible();
  await expect(report.locator('[data-status="refused"]').filter({ hasText: bad })).toContainText("command");
  await expect(
    report.locator('[data-status="created"]').filter({ hasText: `group imported-group-${suffix}` }),
  ).toBeVisible();
  await expect(page.getByRole("status")).toContainText("refused");

  // Not JSON: answered on the form, nothing imported.
  await page.getByLabel("…or paste it").fill("{not json");
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByText("The file is not valid JSON")).toBeVisible();

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download mcp_settings.json" }).click();
  const exported = JSON.parse(
    await (await (await download).createReadStream())
      .toArray()
      .then((chunks) => Buffer.concat(chunks).toString("utf8")),
  );
  expect(exported.mcpServers[good]).toMatchObject({ type: "stdio", command: "node" });
  expect(exported.mcpServers[bad]).toBeUndefined();
});
