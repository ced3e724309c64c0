import { randomBytes } from "node:crypto";

/** A person no other test uses: tests run in parallel against one shared hub. */
export function uniqueUser(prefix = "person") {
  const id = randomBytes(5).toString("hex");
  return {
    email: `${prefix}-${id}@example.test`,
    name: `${prefix[0]?.toUpperCase()}${prefix.slice(1)} ${id}`,
    password: `password-${randomBytes(6).toString("hex")}`,
  };
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString("hex")}`;
}
