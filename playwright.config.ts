import { randomBytes } from "node:crypto";
import { defineConfig } from "@playwright/test";
import {
  ADMIN,
  ARTIFACTS_DIR,
  HUB_DATA_DIR,
  HUB_PORT,
  HUB_SHARED_SECRET,
  HUB_URL,
  METRICS_TOKEN,
  OIDC_ISSUER,
  OIDC_PORT,
  REPLAY_PORT,
  REPLAY_URL,
  usingPostgres,
} from "./tests/support/env";

// Secrets for this run only; with PostgreSQL the hub refuses to start without them.
const testSecrets: Record<string, string> = usingPostgres
  ? { AUTH_SECRET: randomBytes(32).toString("base64"), MCPHUB_SECRET_KEY: randomBytes(32).toString("base64") }
  : {};

export default defineConfig({
  outputDir: `${ARTIFACTS_DIR}/test-results`,
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  forbidOnly: true,
  retries: 0,
  timeout: 30_000,
  // Tests that need a PostgreSQL server of their own run in the PostgreSQL pass only.
  grepInvert: usingPostgres ? undefined : /@postgres/,
  reporter: [["list"], ["json", { outputFile: `${ARTIFACTS_DIR}/results.json` }]],
  use: {
    baseURL: HUB_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "unit", testDir: "tests/unit" },
    { name: "api", testDir: "tests/api" },
    {
      name: "e2e",
      testDir: "tests/e2e",
      timeout: 60_000,
      // A server action that hashes a password waited over 5 s on a loaded two-core machine while
      // the other browser worker ran: wait for what a page shows longer than the 5 s default.
      expect: { timeout: 15_000 },
      use: { viewport: { width: 1280, height: 800 } },
    },
    // Reads what the hub logged while every other project used it.
    { name: "leaks", testDir: "tests/leaks", dependencies: ["unit", "api", "e2e"] },
  ],
  webServer: [
    {
      command: `node tests/fixtures/oidc-provider.mjs`,
      url: `${OIDC_ISSUER}/.well-known/openid-configuration`,
      env: { OIDC_PORT: String(OIDC_PORT), OIDC_REDIRECT_BASE: HUB_URL },
      reuseExistingServer: false,
      stdout: "ignore",
    },
    {
      // Recorded GitHub and Notion answers for the built-in servers (tests/fixtures/replay).
      command: `node tests/fixtures/replay/server.mjs`,
      url: `${REPLAY_URL}/__requests?token=none`,
      env: { PORT: String(REPLAY_PORT) },
      reuseExistingServer: false,
      stdout: "ignore",
    },
    {
      command: `node tests/support/start-hub.mjs`,
      url: `${HUB_URL}/api/health`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: process.env.HUB_LOG ? "pipe" : "ignore",
      env: {
        PORT: String(HUB_PORT),
        MCPHUB_DATA_DIR: HUB_DATA_DIR,
        MCPHUB_PUBLIC_URL: HUB_URL,
        MCPHUB_ADMIN_EMAIL: ADMIN.email,
        MCPHUB_ADMIN_PASSWORD: ADMIN.password,
        MCPHUB_ADMIN_API_KEY: ADMIN.apiKey,
        AUTH_OIDC_ISSUER: OIDC_ISSUER,
        AUTH_OIDC_ID: "mcphub-test",
        AUTH_OIDC_SECRET: "mcphub-test-oidc-client-secret",
        AUTH_OIDC_NAME: "Test SSO",
        GITHUB_API_URL: `${REPLAY_URL}/github`,
        NOTION_API_URL: `${REPLAY_URL}/notion`,
        HUB_LOG_FILE: `${ARTIFACTS_DIR}/hub.log`,
        MCPHUB_METRICS_TOKEN: METRICS_TOKEN,
        [HUB_SHARED_SECRET.name]: HUB_SHARED_SECRET.value,
        ...testSecrets,
      },
    },
  ],
});
