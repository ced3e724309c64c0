import { expect, type Locator, type Page } from "@playwright/test";

/** The portal home: the person's MCP endpoint and what to do next. */
export class PortalHomePage {
  readonly heading: Locator;
  readonly endpoint: Locator;
  readonly signedInAs: Locator;
  readonly signOut: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1 });
    this.endpoint = page.getByTestId("mcp-endpoint");
    this.signedInAs = page.getByTestId("signed-in-as");
    this.signOut = page.getByRole("button", { name: "Sign out" });
  }

  async goto() {
    await this.page.goto("/");
    await this.expectLoaded();
  }

  async expectLoaded() {
    await expect(this.page).toHaveURL((url) => url.pathname === "/");
    await expect(this.heading).toHaveText(/^Welcome/);
    await expect(this.endpoint).toBeVisible();
  }
}
