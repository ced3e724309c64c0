import { expect, test } from "@playwright/test";
import { ADMIN } from "../support/env";
import { spawnHub } from "../support/spawn-hub";

// MCPHUB_AUDIT_RETENTION_DAYS decides the retention when set: the API says where the number comes
// from, and an admin's attempt to change it is refused with what to change instead.

test("with MCPHUB_AUDIT_RETENTION_DAYS set, the retention is the environment's and cannot be changed on the page", async () => {
  test.setTimeout(120_000);
  const hub = await spawnHub({
    label: "retention-env",
    env: {
      MCPHUB_ADMIN_EMAIL: ADMIN.email,
      MCPHUB_ADMIN_PASSWORD: ADMIN.password,
      MCPHUB_ADMIN_API_KEY: ADMIN.apiKey,
      MCPHUB_AUDIT_RETENTION_DAYS: "30",
    },
  });
  try {
    const call = async (method: string, body?: unknown) => {
      const response = await fetch(`${hub.url}/api/v1/settings/retention`, {
        method,
        headers: {
          Authorization: `Bearer ${ADMIN.apiKey}`,
          ...(body !== undefined && { "Content-Type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    };
    expect(await call("GET")).toEqual({ status: 200, body: { days: 30, source: "env" } });
    const refused = await call("PUT", { days: 60 });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/MCPHUB_AUDIT_RETENTION_DAYS sets the retention to 30 days/);
    expect(refused.body.error.fields).toEqual({
      days: ["Set by MCPHUB_AUDIT_RETENTION_DAYS in the environment"],
    });
    expect((await call("GET")).body).toEqual({ days: 30, source: "env" });
    const trail = await fetch(`${hub.url}/api/v1/audit/admin-events?action=settings.retention`, {
      headers: { Authorization: `Bearer ${ADMIN.apiKey}` },
    });
    expect((await trail.json()).events).toEqual([]);
  } finally {
    await hub.stop();
  }
});
