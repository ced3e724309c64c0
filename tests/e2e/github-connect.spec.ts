import { type ChildProcess, spawn } from "node:child_process";
import { expect, type Page, test } from "@playwright/test";
import { LoginPage } from "../pages/login";
import { stopFixture } from "../support/fixtures";
import { type SpawnedHub, spawnHub } from "../support/spawn-hub";

// "Connect GitHub" on /account/connections runs GitHub's OAuth web flow against a local server
// that speaks it (tests/fixtures/github-oauth.mjs), on a hub of its own configured with the app.
const APP = { id: "mcphub-test-github-app", secret: "mcphub-test-github-secret" };
const OWNER = { email: "owner@github-connect.test", password: "github-connect-owner-password" };

type Logged = {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | null;
  accept: string | null;
  body: string;
  issued?: string;
};

let github: ChildProcess;
let githubUrl: string;
let hub: SpawnedHub;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  github = spawn(process.execPath, ["tests/fixtures/github-oauth.mjs"], {
    env: { PATH: process.env.PATH ?? "", PORT: "0" } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  const port = await new Promise<string>((resolve, reject) => {
    github.stdout?.on("data", (chunk: Buffer) => {
      const match = /listening on (\d+)/.exec(chunk.toString());
      if (match?.[1]) resolve(match[1]);
    });
    github.once("exit", (code) => reject(new Error(`the GitHub OAuth fixture exited with ${code}`)));
  });
  githubUrl = `http://127.0.0.1:${port}`;
  hub = await spawnHub({
    label: "github-connect",
    env: {
      MCPHUB_ADMIN_EMAIL: OWNER.email,
      MCPHUB_ADMIN_PASSWORD: OWNER.password,
      AUTH_GITHUB_ID: APP.id,
      AUTH_GITHUB_SECRET: APP.secret,
      AUTH_GITHUB_URL: githubUrl,
      GITHUB_API_URL: githubUrl,
    },
  });
});

test.afterAll(async () => {
  await hub?.stop();
  await stopFixture(github);
});

const githubLog = async (): Promise<Logged[]> => (await fetch(`${githubUrl}/__log`)).json();

function githubCard(page: Page) {
  return page.locator('[data-testid="credential"][data-name="GITHUB_TOKEN"]');
}

test("a person connects GitHub through its OAuth flow, reconnects, and disconnects", async ({ browser }) => {
  test.setTimeout(90_000);
  const context = await browser.newContext({ baseURL: hub.url });
  const page = await context.newPage();
  try {
    await new LoginPage(page).signInAs(OWNER, "/account/connections");
    const card = githubCard(page);
    await expect(card.getByTestId("credential-status")).toHaveText("Missing");

    let firstToken = "";
    await test.step("Connect GitHub sends the browser to GitHub and back, and saves the token", async () => {
      await card.getByRole("button", { name: "Connect GitHub" }).click();
      await expect(page.getByRole("heading", { name: "Authorize MCPHub test app" })).toBeVisible();
      const authorize = (await githubLog()).findLast((entry) => entry.path === "/login/oauth/authorize");
      expect(authorize?.query).toMatchObject({
        client_id: APP.id,
        redirect_uri: `${hub.url}/account/connections/github/callback`,
        scope: "repo read:org read:user",
      });
      expect(authorize?.query.state).toMatch(/^[A-Za-z0-9_-]{43}$/);

      await page.getByRole("button", { name: "Authorize" }).click();
      await expect(page).toHaveURL(/\/account\/connections\?github=connected$/);
      await expect(page.getByTestId("github-outcome")).toContainText("GitHub connected");

      const exchange = (await githubLog()).findLast((entry) => entry.path === "/login/oauth/access_token");
      expect(exchange?.method).toBe("POST");
      expect(exchange?.accept).toBe("application/json");
      const sent = new URLSearchParams(exchange?.body);
      expect(sent.get("client_secret")).toBe(APP.secret);
      expect(sent.get("redirect_uri")).toBe(`${hub.url}/account/connections/github/callback`);
      firstToken = exchange?.issued ?? "";
      expect(firstToken).toMatch(/^gho_/);
      // Write-only: the page shows the last four characters, never the token.
      await expect(card.getByTestId("credential-status")).toContainText(`Linked …${firstToken.slice(-4)}`);
      expect(await page.content()).not.toContain(firstToken);
    });

    await test.step("Reconnect replaces the token with a new one", async () => {
      await card.getByRole("button", { name: "Reconnect GitHub" }).click();
      await page.getByRole("button", { name: "Authorize" }).click();
      await expect(page.getByTestId("github-outcome")).toContainText("GitHub connected");
      const second = (await githubLog()).findLast((entry) => entry.issued)?.issued ?? "";
      expect(second).not.toBe(firstToken);
      await expect(card.getByTestId("credential-status")).toContainText(`Linked …${second.slice(-4)}`);
    });

    await test.step("Disconnect removes the token here and revokes it at GitHub", async () => {
      const current = (await githubLog()).findLast((entry) => entry.issued)?.issued;
      await card.getByRole("button", { name: "Disconnect GitHub" }).click();
      await expect(card.getByText("revoked at GitHub")).toBeVisible();
      const revoke = (await githubLog()).findLast((entry) => entry.method === "DELETE");
      expect(revoke?.path).toBe(`/applications/${APP.id}/token`);
      expect(revoke?.authorization).toBe(
        `Basic ${Buffer.from(`${APP.id}:${APP.secret}`).toString("base64")}`,
      );
      expect(JSON.parse(revoke?.body ?? "{}")).toEqual({ access_token: current });
      await page.reload();
      await expect(githubCard(page).getByTestId("credential-status")).toHaveText("Missing");
    });
  } finally {
    await context.close();
  }
});

test("a declined, forged or replayed GitHub round trip saves nothing and says what to do", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const context = await browser.newContext({ baseURL: hub.url });
  const page = await context.newPage();
  try {
    await new LoginPage(page).signInAs(OWNER, "/account/connections");
    const card = githubCard(page);

    await test.step("Cancel on GitHub", async () => {
      await card.getByRole("button", { name: /Connect GitHub/ }).click();
      await page.getByRole("link", { name: "Cancel" }).click();
      await expect(page.getByTestId("github-outcome")).toContainText(
        "the authorization was declined on GitHub",
      );
      await expect(card.getByTestId("credential-status")).toHaveText("Missing");
    });

    await test.step("a callback this browser did not start", async () => {
      await page.goto("/account/connections/github/callback?code=forged&state=forged-state");
      await expect(page.getByTestId("github-outcome")).toContainText("did not start here");
      await expect(card.getByTestId("credential-status")).toHaveText("Missing");
    });

    await test.step("the same callback twice: the second finds its state used up", async () => {
      await card.getByRole("button", { name: /Connect GitHub/ }).click();
      await page.getByRole("button", { name: "Authorize" }).click();
      await expect(page.getByTestId("github-outcome")).toContainText("GitHub connected");
      const callback = (await githubLog()).findLast(
        (entry) => entry.path === "/login/oauth/authorize" && entry.method === "POST",
      );
      const state = new URLSearchParams(callback?.body).get("state");
      await page.goto(`/account/connections/github/callback?code=replayed&state=${state}`);
      await expect(page.getByTestId("github-outcome")).toContainText("did not start here");
      await card.getByRole("button", { name: "Disconnect GitHub" }).click();
      await expect(card.getByText("revoked at GitHub")).toBeVisible();
    });

    await test.step("a visitor without a session is sent to sign in", async () => {
      const anonymous = await browser.newContext({ baseURL: hub.url });
      const visitor = await anonymous.newPage();
      await visitor.goto("/account/connections/github/callback?code=x&state=y");
      await expect(visitor).toHaveURL(/\/login/);
      await anonymous.close();
    });
  } finally {
    await context.close();
  }
});
