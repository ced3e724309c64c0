import type { Locator, Page } from "@playwright/test";

/**
 * Clicks a button that submits a form to a server action and waits for the action's answer, so a
 * test that submits twice with the same expected message does not read the first answer.
 */
export async function submitToServerAction(page: Page, button: Locator): Promise<void> {
  const answered = page.waitForResponse(
    (response) => response.request().method() === "POST" && "next-action" in response.request().headers(),
  );
  await button.click();
  await answered;
}
