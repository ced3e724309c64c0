import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { LoginPage } from "../pages/login";
import { submitToServerAction } from "../pages/server-action";
import { ADMIN } from "../support/env";
import { createGroup, createServer, setGroupActive } from "../support/mcp";
import { createPerson } from "../support/people";

test("a person links a token, sees only its last characters, replaces it and removes it", async ({
  page,
  request,
}) => {
  // The upstream need not answer: the page is about what the person's groups ask for.
  const server = await createServer("needs-token", {
    type: "streamable-http",
    url: "http://127.0.0.1:9/mcp",
    headers: { Authorization: "Bearer ${USER_E2E_TOKEN}" },
  });
  const group = await createGroup([server]);
  const person = await createPerson(request, "linker");
  const key = (await (
    await request.post(`/api/v1/users/${person.id}/keys`, {
      headers: { Authorization: `Bearer ${ADMIN.apiKey}` },
      data: { name: "laptop" },
    })
  ).json()) as { id: string; key: string };
  await setGroupActive({ id: person.id, email: person.email, key: key.key, keyId: key.id }, group);

  await new LoginPage(page).signInAs(person, "/account/connections");
  const card = page.locator('[data-testid="credential"][data-name="E2E_TOKEN"]');
  await expect(card).toContainText(`used by ${server}`);
  await expect(card.getByTestId("credential-status")).toHaveText("Missing");

  // "secret-value-" marks it for the leak check over the hub's log.
  const token = `secret-value-e2e-${randomUUID()}`;
  const field = card.getByLabel("Value for E2E_TOKEN");
  await expect(field).toHaveAttribute("type", "password");
  await field.fill(token);
  await submitToServerAction(page, card.getByRole("button", { name: "Link" }));
  await expect(card.getByText("E2E_TOKEN saved. Your next call uses it.")).toBeVisible();
  await expect(card.getByTestId("credential-status")).toContainText(`Linked …${token.slice(-4)}`);

  await page.reload();
  await expect(card.getByTestId("credential-status")).toContainText(`Linked …${token.slice(-4)}`);
  expect(await page.content()).not.toContain(token);
  await expect(card.getByLabel("New value for E2E_TOKEN")).toHaveValue("");

  const replacement = `secret-value-e2e-${randomUUID()}`;
  await card.getByLabel("New value for E2E_TOKEN").fill(replacement);
  await submitToServerAction(page, card.getByRole("button", { name: "Replace" }));
  await expect(card.getByTestId("credential-status")).toContainText(`Linked …${replacement.slice(-4)}`);

  // An empty submission is refused beside the field, and the saved value stays.
  await card.getByLabel("New value for E2E_TOKEN").fill("");
  await submitToServerAction(page, card.getByRole("button", { name: "Replace" }));
  await expect(card.getByText("The value is empty")).toBeVisible();
  await expect(card.getByTestId("credential-status")).toContainText(`Linked …${replacement.slice(-4)}`);

  await card.getByRole("button", { name: "Remove" }).click();
  await expect(card.getByText("E2E_TOKEN removed.")).toBeVisible();
  await expect(card.getByTestId("credential-status")).toHaveText("Missing");
});
