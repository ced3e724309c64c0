import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ADMIN, ARTIFACTS_DIR } from "../support/env";

/*
 * Runs after every other project (see playwright.config.ts): everything the shared hub printed
 * while the whole suite used it must hold no MCPHub key and no credential value. The credential
 * tests mark their values with "secret-value-"; keys are recognisable by their shape.
 */
test("the hub's log holds no key, credential value or password after the whole suite", () => {
  const log = readFileSync(path.join(ARTIFACTS_DIR, "hub.log"), "utf8");
  expect(log.length, "the hub wrote a log").toBeGreaterThan(0);
  expect(log.match(/mcphub_[A-Za-z0-9_-]{43,}/g) ?? [], "full MCPHub keys in the log").toEqual([]);
  expect(log.match(/secret-value-[\w-]+/g) ?? [], "credential values in the log").toEqual([]);
  expect(log.includes(ADMIN.password), "the admin password in the log").toBe(false);
});
