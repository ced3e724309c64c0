import { expect, test } from "@playwright/test";
import { HUB_URL } from "../support/env";
import { api, createPerson } from "../support/mcp";
import { uniqueName } from "../support/users";

// PostgreSQL cannot store or even look up text holding a NUL character (U+0000). Every one of these
// requests reached the database and was answered with a bare 500; each is now refused with an
// answer that says what to remove, or a 404 where a name in the address cannot exist.

const REMOVE_NUL = "Remove the NUL character (\\u0000): text cannot contain one";

test("a NUL in a field of a JSON body is a 422 naming the field", async () => {
  const person = await createPerson("nulbody");
  const cases = [
    {
      path: "/api/v1/servers",
      body: { name: uniqueName("nul"), type: "stdio", command: "node", args: ["x"], description: "a\u0000b" },
      field: "description",
    },
    {
      path: "/api/v1/servers",
      body: { name: uniqueName("nul"), type: "stdio", command: "node", args: ["ok", "x\u0000"] },
      field: "args.1",
    },
    {
      path: "/api/v1/groups",
      body: { name: uniqueName("nul"), description: "a\u0000b", servers: [], visibility: "public" },
      field: "description",
    },
    { path: "/api/v1/me/keys", body: { name: "lap\u0000top" }, field: "name", key: person.key },
  ];
  for (const { path, body, field, key } of cases) {
    const answer = await api("POST", path, { body, ...(key && { key }) });
    expect(answer.status, `${path} ${field}`).toBe(422);
    expect(answer.body.error).toEqual({
      code: "validation_failed",
      message: `Some fields need fixing: ${field}: ${REMOVE_NUL}`,
      fields: { [field]: [REMOVE_NUL] },
    });
  }
  // No key was made: the person still has only the one they were given.
  const keys = await api("GET", "/api/v1/me/keys", { key: person.key });
  expect(keys.body.keys.map((k: { name: string }) => k.name)).toEqual(["nulbody laptop"]);
});

test("a NUL in a query filter is a 422 naming the filter", async () => {
  for (const filter of ["tool", "user", "server"]) {
    const answer = await api("GET", `/api/v1/audit?${filter}=a%00b`);
    expect(answer.status, filter).toBe(422);
    expect(answer.body.error.fields).toEqual({ [filter]: [REMOVE_NUL] });
  }
});

test("a NUL in a name in the address is a 404, for the API and for pages", async () => {
  const person = await createPerson("nulpath");
  const message = "Nothing here has a NUL character (%00) in its address";
  for (const [method, path] of [
    ["GET", "/api/v1/servers/a%00b"],
    ["GET", "/api/v1/groups/%00"],
    ["PUT", "/api/v1/me/groups/a%00b"],
    ["DELETE", "/api/v1/me/credentials/A%00B"],
  ] as const) {
    const answer = await api(method, path, {
      key: person.key,
      ...(method === "PUT" && { body: { active: true } }),
    });
    expect(answer.status, path).toBe(404);
    expect(answer.body).toEqual({ error: { code: "not_found", message } });
  }
  const page = await fetch(`${HUB_URL}/admin/servers/a%00b`, { redirect: "manual" });
  expect(page.status).toBe(404);
  expect(await page.text()).toBe(message);
});
