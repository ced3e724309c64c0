import { expect, test } from "@playwright/test";
import { LoginPage } from "../pages/login";
import { apiOk, createPerson, createServer } from "../support/mcp";
import { alive, PROBE_SERVER, processesOf, waitFor } from "../support/processes";
import { captureScreens } from "../support/screenshots";

test("an admin sees a person's isolated process with its sandbox and stderr, restarts and stops it", async ({
  page,
}) => {
  test.slow();
  const person = await createPerson("e2e-process");
  const server = await createServer("e2e-iso", PROBE_SERVER);
  const started = await apiOk("POST", "/api/worker/processes", { body: { userId: person.id, server } });

  await new LoginPage(page).signInAsAdmin();
  await page.goto("/admin/processes");
  await expect(page.getByRole("link", { name: "Processes" })).toBeVisible();
  const layers = page.getByTestId("sandbox-layers");
  for (const layer of ["uid", "namespaces", "limits", "cgroup"])
    await expect(layers.locator(`[data-layer="${layer}"]`)).toBeVisible();
  const row = page.locator(`[data-testid="process-row"][data-id="${started.id}"]`);
  await expect(row).toContainText(server);
  await expect(row).toContainText(person.email);
  await expect(row.getByTestId("process-state")).toHaveText("state: running");
  await row.getByText("Recent stderr").click();
  await expect(row.locator("pre")).toContainText("isolation-probe started");
  await captureScreens(page, test.info(), "admin-processes");

  await row.getByRole("button", { name: `Restart ${server} for ${person.email}` }).click();
  await expect(row.getByRole("status")).toContainText("Restarted as pid");
  await waitFor(() => !alive(started.pid), 5_000, "the old pid to exit");

  await row.getByRole("button", { name: `Stop ${server} for ${person.email}` }).click();
  await expect(row).toHaveCount(0);
  expect(await processesOf(server)).toEqual([]);
});
