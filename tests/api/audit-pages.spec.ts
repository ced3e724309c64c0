import { expect, test } from "@playwright/test";
import { ADMIN, HUB_URL } from "../support/env";
import { api, apiOk, connectV2, createKey, personWithEverything } from "../support/mcp";

// The call log and the admin trail page by page (keyset on (at, id), the cursor in the URL), as
// CSV, and with every bad filter answered naming the field.

async function csv(
  path: string,
): Promise<{ status: number; type: string | null; disposition: string | null; text: string }> {
  const response = await fetch(`${HUB_URL}${path}`, { headers: { Authorization: `Bearer ${ADMIN.apiKey}` } });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    disposition: response.headers.get("content-disposition"),
    text: await response.text(),
  };
}

/** A CSV body as rows of cells (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i += 1;
    } else cell += c;
  }
  return rows;
}

test("the call log pages by cursor: no row twice, none skipped, the last page says so", async () => {
  const { person, server } = await personWithEverything("pages");
  const { client } = await connectV2("/api/mcp", person.key);
  try {
    for (let i = 0; i < 5; i += 1)
      await client.callTool({ name: `${server}-echo`, arguments: { message: `m${i}` } });
  } finally {
    await client.close();
  }
  const all = await apiOk("GET", `/api/v1/audit?user=${person.id}`);
  expect(all.calls).toHaveLength(5);
  expect(all.nextCursor).toBeNull();

  const seen: string[] = [];
  let cursor: string | null = null;
  const sizes: number[] = [];
  do {
    const query = new URLSearchParams({ user: person.id, limit: "2", ...(cursor && { cursor }) });
    const page = await apiOk("GET", `/api/v1/audit?${query}`);
    sizes.push(page.calls.length);
    seen.push(...page.calls.map((c: { id: string }) => c.id));
    cursor = page.nextCursor;
  } while (cursor);
  expect(sizes).toEqual([2, 2, 1]);
  expect(seen).toEqual(all.calls.map((c: { id: string }) => c.id));
});

test("CSV of the call log holds the filtered rows, with formula-like cells neutralised", async () => {
  const { person, server } = await personWithEverything("csv");
  // A key name is chosen by the person: a spreadsheet must not run it.
  const evil = await createKey(person, { name: '=HYPERLINK("http://evil.example","x"),1' });
  const { client } = await connectV2("/api/mcp", evil.key);
  try {
    await client.callTool({ name: `${server}-echo`, arguments: { message: "a" } });
    await client.callTool({ name: `${server}-echo`, arguments: {} });
  } finally {
    await client.close();
  }
  const answer = await csv(`/api/v1/audit?format=csv&user=${encodeURIComponent(person.email)}`);
  expect(answer.status).toBe(200);
  expect(answer.type).toBe("text/csv; charset=utf-8");
  expect(answer.disposition).toMatch(/^attachment; filename="mcphub-calls-.+\.csv"$/);
  const rows = parseCsv(answer.text);
  expect(rows[0]).toEqual([
    "at",
    "user_email",
    "user_id",
    "key_name",
    "key_hint",
    "server",
    "tool",
    "status",
    "duration_ms",
    "error_class",
    "request_id",
    "argument_bytes",
    "result_bytes",
    "id",
  ]);
  expect(rows).toHaveLength(3);
  for (const row of rows.slice(1)) {
    expect(row[1]).toBe(person.email);
    expect(row[3]).toBe(`'=HYPERLINK("http://evil.example","x"),1`);
    expect(row[5]).toBe(server);
  }
  expect(rows.slice(1).map((r) => r[7])).toEqual(["tool_error", "ok"]);

  const filtered = parseCsv((await csv(`/api/v1/audit?format=csv&user=${person.id}&status=ok`)).text);
  expect(filtered).toHaveLength(2);

  // The trail exports with its own columns: the server the admin created for this test is there.
  const trail = await csv(`/api/v1/audit/admin-events?format=csv&target=${server}`);
  expect(trail.status).toBe(200);
  const trailRows = parseCsv(trail.text);
  expect(trailRows[0]).toEqual([
    "at",
    "actor_email",
    "actor_id",
    "action",
    "target_type",
    "target_name",
    "target_id",
    "details",
    "id",
  ]);
  expect(trailRows.slice(1).map((r) => [r[1], r[3], r[5]])).toEqual([[ADMIN.email, "server.create", server]]);
});

test("the admin trail pages by cursor and filters by action prefix", async () => {
  const first = await apiOk("GET", "/api/v1/audit/admin-events?limit=3&action=server.");
  expect(first.events.length).toBeGreaterThan(0);
  for (const event of first.events) expect(event.action).toMatch(/^server\./);
  if (first.nextCursor) {
    const second = await apiOk(
      "GET",
      `/api/v1/audit/admin-events?limit=3&action=server.&cursor=${first.nextCursor}`,
    );
    const firstIds = new Set(first.events.map((e: { id: string }) => e.id));
    for (const event of second.events) expect(firstIds.has(event.id)).toBe(false);
    expect(Date.parse(second.events[0].at)).toBeLessThanOrEqual(Date.parse(first.events.at(-1).at));
  }
});

test("every bad filter is refused with 422 naming the field, in JSON and CSV alike", async () => {
  const calls: Array<[string, string]> = [
    ["cursor=garbage", "cursor"],
    [`cursor=${Buffer.from('["yesterday","x"]').toString("base64url")}`, "cursor"],
    ["format=xml", "format"],
    ["server=", "server"],
    ["tool=", "tool"],
    ["status=ok&format=csv&from=soon", "from"],
    ["format=csv&format=json", "format"],
  ];
  for (const [query, field] of calls) {
    const response = await api("GET", `/api/v1/audit?${query}`);
    expect(response.status, query).toBe(422);
    expect(Object.keys(response.body.error.fields ?? {}), query).toContain(field);
  }
  const events: Array<[string, string]> = [
    ["action=Server Update", "action"],
    ["action=server..update", "action"],
    ["actor=", "actor"],
    ["target=", "target"],
    ["limit=0", "limit"],
    ["limit=1001", "limit"],
    ["from=2026-02-01&to=2026-01-01", "from"],
    ["to=never", "to"],
    ["cursor=%00", "cursor"],
    ["format=pdf", "format"],
    ["user=someone", "user"],
  ];
  for (const [query, field] of events) {
    const response = await api("GET", `/api/v1/audit/admin-events?${query}`);
    expect(response.status, query).toBe(422);
    expect(response.body.error.code).toBe("validation_failed");
    expect(Object.keys(response.body.error.fields ?? {}), query).toContain(field);
  }
});

test("the trail and its export are for admins only", async () => {
  const { person } = await personWithEverything("trail-nosy");
  for (const path of [
    "/api/v1/audit/admin-events",
    "/api/v1/audit/admin-events?format=csv",
    "/api/v1/audit?format=csv",
  ]) {
    const forbidden = await api("GET", path, { key: person.key });
    expect(forbidden.status, path).toBe(403);
    const anonymous = await api("GET", path, { key: null });
    expect(anonymous.status, path).toBe(401);
  }
  const document = await apiOk("GET", "/api/v1/openapi.json");
  const operation = document.paths["/api/v1/audit/admin-events"].get;
  expect(operation.tags).toEqual(["admin"]);
  expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual([
    "actor",
    "action",
    "target",
    "from",
    "to",
    "limit",
    "cursor",
    "format",
  ]);
});
