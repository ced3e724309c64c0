import { expect, test } from "@playwright/test";
import { isSessionLost } from "@/lib/upstream/session-lost";

test("an upstream's 404, or 400 about the session, means it forgot our session; other errors do not", () => {
  expect(isSessionLost(Object.assign(new Error("Not Found"), { status: 404 }))).toBe(true);
  expect(
    isSessionLost(Object.assign(new Error("Bad Request: No valid session ID provided"), { code: 400 })),
  ).toBe(true);
  expect(isSessionLost(Object.assign(new Error("Bad Request: missing field"), { status: 400 }))).toBe(false);
  expect(isSessionLost(Object.assign(new Error("Internal"), { status: 500 }))).toBe(false);
  expect(isSessionLost(new Error("fetch failed"))).toBe(false);
  expect(isSessionLost(undefined)).toBe(false);
});
