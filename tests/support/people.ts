import { randomBytes } from "node:crypto";
import { type APIRequestContext, expect } from "@playwright/test";
import { ADMIN } from "./env";

/** A name no other test (or earlier run against the same data) uses: `label-1a2b3c`. */
export function uniqueName(label: string): string {
  return `${label}-${randomBytes(3).toString("hex")}`;
}

export type Person = { id: string; email: string; password: string };

/** Creates a user through the REST API with the bootstrap admin's key. */
export async function createPerson(request: APIRequestContext, label = "person"): Promise<Person> {
  const email = `${uniqueName(label)}@mcphub.test`;
  const password = "a-password-for-tests";
  const response = await request.post("/api/v1/users", {
    headers: { Authorization: `Bearer ${ADMIN.apiKey}` },
    data: { email, password, role: "user" },
  });
  expect(response.status(), await response.text()).toBe(201);
  const { id } = (await response.json()) as { id: string };
  return { id, email, password };
}

/** The person a key belongs to, or the HTTP status when the key is refused. */
export async function whoHasKey(request: APIRequestContext, key: string): Promise<string | number> {
  const response = await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${key}` } });
  if (!response.ok()) return response.status();
  return ((await response.json()) as { email: string }).email;
}
