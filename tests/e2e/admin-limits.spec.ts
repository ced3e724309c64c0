import { expect, test } from "@playwright/test";
import { LoginPage } from "../pages/login";
import { apiOk, createPerson } from "../support/mcp";
import { snap } from "../support/screenshots";

test("an admin limits one person from /admin/limits, changes the number and deletes it", async ({ page }) => {
  const person = await createPerson("limited");
  await new LoginPage(page).signInAsAdmin();
  await page.goto("/admin");
  await page.getByRole("link", { name: "Limits", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Rate limits" })).toBeVisible();

  const form = page.getByRole("form", { name: "Add a limit" });
  await form.getByLabel("Person's email").fill("nobody-here@mcphub.test");
  await form.getByLabel("Calls per minute").fill("30");
  await form.getByRole("button", { name: "Add limit" }).click();
  await expect(
    form.getByText(
      "No person with the email nobody-here@mcphub.test: add them on Users first, or leave it empty for everyone",
    ),
  ).toBeVisible();
  await snap(page, "admin-limits-errors");

  await form.getByLabel("Person's email").fill(person.email);
  await form.getByLabel("Calls per minute").fill("30");
  await form.getByRole("button", { name: "Add limit" }).click();
  await expect(form.getByRole("status")).toHaveText(
    `Limited person ${person.email} to 30 calls per minute, in force now.`,
  );
  const row = page.getByTestId("limit-row").filter({ hasText: person.email });
  await expect(row).toContainText("0 of 30");
  await snap(page, "admin-limits");

  await row.getByLabel(`Calls per minute for person ${person.email}`).fill("45");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByRole("status")).toHaveText(`person ${person.email}: 45 calls per minute.`);
  const limits = (await apiOk("GET", "/api/v1/rate-limits")).rateLimits as Array<{
    userId: string;
    callsPerMinute: number;
  }>;
  expect(limits.find((limit) => limit.userId === person.id)?.callsPerMinute).toBe(45);

  page.once("dialog", (dialog) => dialog.accept());
  await row.getByRole("button", { name: `Delete the limit of person ${person.email}` }).click();
  await expect(row).toHaveCount(0);
});
