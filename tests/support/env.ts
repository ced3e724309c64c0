import path from "node:path";

/**
 * Everything the test run shares with the hub it starts (playwright.config.ts passes these to the
 * server). The admin key is a fixed test value: it exists only in the throwaway test database.
 */
export const HUB_PORT = Number(process.env.TEST_HUB_PORT ?? 3100);
export const HUB_URL = `http://localhost:${HUB_PORT}`;
/** The replay server the built-in GitHub and Notion tools talk to (tests/fixtures/replay). */
export const REPLAY_PORT = HUB_PORT + 97;
export const REPLAY_URL = `http://127.0.0.1:${REPLAY_PORT}`;
export const OIDC_PORT = Number(process.env.TEST_OIDC_PORT ?? 3190);
export const OIDC_ISSUER = `http://localhost:${OIDC_PORT}`;

export const ADMIN = {
  email: "admin@mcphub.test",
  password: "admin-password-for-tests",
  apiKey: "mcphub_TestAdminKeyOnlyForTheThrowawayTestDatabase00000000",
};

/**
 * A shared, admin-owned secret in the hub's environment, for servers that reference it as
 * `${HUB_TEST_SHARED_TOKEN}`: tests check that its value never leaves the hub (exports, answers).
 */
export const HUB_SHARED_SECRET = {
  name: "HUB_TEST_SHARED_TOKEN",
  value: "hub-shared-secret-value-only-in-tests",
};

/** The Prometheus scrape token of the shared test hub (MCPHUB_METRICS_TOKEN). */
export const METRICS_TOKEN = "metrics-scrape-token-only-for-the-test-hub";

export const usingPostgres = Boolean(process.env.DATABASE_URL);
export const ARTIFACTS_DIR = path.resolve("tests/.artifacts");
export const HUB_DATA_DIR = path.join(ARTIFACTS_DIR, "hub-data");
