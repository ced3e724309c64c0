import { expect, test } from "@playwright/test";
import packageJson from "@/package.json";

test("GET /api/health reports the database and version", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body).toMatchObject({ status: "ok", db: "ok", version: packageJson.version });
  // Which sandbox layers isolated processes get here (details on /admin/processes).
  expect(Object.keys(body).sort()).toEqual(["cluster", "db", "sandbox", "status", "version"]);
  expect(Object.keys(body.sandbox).sort()).toEqual(["cgroup", "limits", "namespaces", "uid"]);
});

test("an unknown /api path answers a JSON 404", async ({ request }) => {
  for (const method of ["get", "post", "delete"] as const) {
    const response = await request[method]("/api/does-not-exist");
    expect(response.status()).toBe(404);
    expect((await response.json()).error.code).toBe("not_found");
  }
});

test("a path with broken percent-encoding is a 400, not a 500", async ({ request }) => {
  const broken = await request.get("/api/v1/users/%ff");
  expect(broken.status()).toBe(400);
  expect((await broken.json()).error.message).toContain("percent-encoding");
});
