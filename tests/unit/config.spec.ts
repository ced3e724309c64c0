import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ConfigError, getEnv } from "@/lib/config/env";
import { resolveSecrets } from "@/lib/config/secrets";

const base = { PORT: "3000", NODE_ENV: "test" } as NodeJS.ProcessEnv;
const key = Buffer.alloc(32, 7).toString("base64");

test.describe("configuration", () => {
  test("with DATABASE_URL and no secrets the hub refuses to start, naming each variable", () => {
    const env = getEnv({ ...base, DATABASE_URL: "postgres://db.example/mcphub" });
    expect(() => resolveSecrets(env)).toThrow(ConfigError);
    expect(() => resolveSecrets(env)).toThrow(
      /AUTH_SECRET and MCPHUB_SECRET_KEY must be set when DATABASE_URL is set/,
    );
    const half = getEnv({
      ...base,
      DATABASE_URL: "postgres://db.example/mcphub",
      AUTH_SECRET: "x".repeat(40),
    });
    expect(() => resolveSecrets(half)).toThrow(/^MCPHUB_SECRET_KEY must be set/);
  });

  test("embedded mode generates both secrets once into the data folder, mode 0600, and reuses them", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "mcphub-secrets-"));
    const env = getEnv({ ...base, MCPHUB_DATA_DIR: path.join(dir, "nested", "data") });
    const first = resolveSecrets(env);
    const file = path.join(dir, "nested", "data", "secrets.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(first.secretKey, "base64")).toHaveLength(32);
    expect(resolveSecrets(env)).toEqual(first);
    expect(JSON.parse(readFileSync(file, "utf8")).AUTH_SECRET).toBe(first.authSecret);
  });

  test("set secrets win over generated ones", () => {
    const env = getEnv({
      ...base,
      MCPHUB_DATA_DIR: mkdtempSync(path.join(tmpdir(), "mcphub-")),
      AUTH_SECRET: "a".repeat(44),
      MCPHUB_SECRET_KEY: key,
    });
    expect(resolveSecrets(env)).toEqual({ authSecret: "a".repeat(44), secretKey: key });
  });

  for (const [name, env, message] of [
    [
      "a DATABASE_URL that is not PostgreSQL",
      { DATABASE_URL: "mysql://x" },
      /DATABASE_URL must be a postgres/,
    ],
    [
      "a vault key of the wrong length",
      { MCPHUB_SECRET_KEY: Buffer.alloc(16).toString("base64") },
      /MCPHUB_SECRET_KEY must be 32 bytes/,
    ],
    [
      "an admin password without an email",
      { MCPHUB_ADMIN_PASSWORD: "long-enough-password" },
      /MCPHUB_ADMIN_PASSWORD is set without MCPHUB_ADMIN_EMAIL/,
    ],
    [
      "a malformed admin key",
      { MCPHUB_ADMIN_EMAIL: "a@b.co", MCPHUB_ADMIN_API_KEY: "mcphub_short" },
      /MCPHUB_ADMIN_API_KEY must look like mcphub_/,
    ],
    ["half of the GitHub settings", { AUTH_GITHUB_ID: "id" }, /AUTH_GITHUB_ID and AUTH_GITHUB_SECRET/],
    [
      "part of the OIDC settings",
      { AUTH_OIDC_ISSUER: "https://id.example" },
      /AUTH_OIDC_ISSUER, AUTH_OIDC_ID and AUTH_OIDC_SECRET together/,
    ],
    [
      "a public URL that is not http(s)",
      { MCPHUB_PUBLIC_URL: "ftp://hub" },
      /MCPHUB_PUBLIC_URL must be an http\(s\) URL/,
    ],
    [
      "a GitHub API URL that is not http(s)",
      { GITHUB_API_URL: "ghe.example.com/api/v3" },
      /GITHUB_API_URL must be an http\(s\) URL/,
    ],
    [
      "an audit retention of zero days",
      { MCPHUB_AUDIT_RETENTION_DAYS: "0" },
      /MCPHUB_AUDIT_RETENTION_DAYS must be a whole number of days from 1 to 3650/,
    ],
    [
      "an audit retention of more than ten years",
      { MCPHUB_AUDIT_RETENTION_DAYS: "3651" },
      /MCPHUB_AUDIT_RETENTION_DAYS must be a whole number of days from 1 to 3650/,
    ],
    [
      "an audit retention of a fraction",
      { MCPHUB_AUDIT_RETENTION_DAYS: "1.5" },
      /MCPHUB_AUDIT_RETENTION_DAYS must be a whole number of days from 1 to 3650/,
    ],
    [
      "an audit retention of words",
      { MCPHUB_AUDIT_RETENTION_DAYS: "ninety" },
      /MCPHUB_AUDIT_RETENTION_DAYS must be a whole number of days from 1 to 3650/,
    ],
    [
      "an audit retention of negative days",
      { MCPHUB_AUDIT_RETENTION_DAYS: "-5" },
      /MCPHUB_AUDIT_RETENTION_DAYS must be a whole number of days from 1 to 3650/,
    ],
    [
      "a Notion API URL with a query",
      { NOTION_API_URL: "https://api.notion.com?x=1" },
      /NOTION_API_URL must be/,
    ],
  ] as const) {
    test(`${name} is refused with a message that names the variable`, () => {
      expect(() => getEnv({ ...base, ...env } as NodeJS.ProcessEnv)).toThrow(message);
    });
  }
});

test("MCPHUB_AUDIT_RETENTION_DAYS is read as a number of days, and left unset by default", () => {
  expect(getEnv({ ...base, MCPHUB_AUDIT_RETENTION_DAYS: " 30 " }).MCPHUB_AUDIT_RETENTION_DAYS).toBe(30);
  expect(getEnv(base).MCPHUB_AUDIT_RETENTION_DAYS).toBeUndefined();
});
