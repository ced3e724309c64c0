import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { expect, test } from "@playwright/test";
import { count, eq, inArray, lt } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { csvCell, csvLine } from "@/lib/audit/csv";
import { pruneAuditRows } from "@/lib/audit/prune";
import {
  getCallsOverTime,
  getFailingUpstreams,
  getMostActivePeople,
  getServerLatency,
  getToolLatency,
} from "@/lib/dashboard/queries";
import { resolveRange } from "@/lib/dashboard/range";
import type { Database } from "@/lib/db";
import { migratePgliteDatabase, migratePostgresDatabase } from "@/lib/db/migrate";
import * as schema from "@/lib/db/schema";
import { storableJson, storableText } from "@/lib/db/storable";
import { arrayLiteral, insertCallRows } from "@/lib/mcp/call-log-rows";
import { createScratchDatabase } from "../support/postgres";

// The SQL behind retention and the dashboard, run on both databases the hub supports: old rows go
// in bounded batches (two instances at once never delete a row twice), and the aggregates
// (date_bin, percentile_cont) give the numbers the charts draw.

const DAY = 86_400_000;
const NOW = new Date("2026-12-05T12:00:00Z");

function call(at: Date, fields: Partial<typeof schema.toolCalls.$inferInsert> = {}) {
  return {
    at,
    serverName: "alpha",
    tool: "echo",
    status: "ok",
    durationMs: 10,
    requestId: randomUUID(),
    argumentBytes: 2,
    ...fields,
  };
}

function event(at: Date) {
  return {
    at,
    action: "server.update",
    targetType: "server",
    targetName: "alpha",
    details: { changed: ["env"] },
  };
}

async function countRows(db: Database) {
  const [calls] = await db.select({ n: count() }).from(schema.toolCalls);
  const [events] = await db.select({ n: count() }).from(schema.adminEvents);
  const [oldCalls] = await db
    .select({ n: count() })
    .from(schema.toolCalls)
    .where(lt(schema.toolCalls.at, new Date(NOW.getTime() - 90 * DAY)));
  return { calls: calls?.n, events: events?.n, oldCalls: oldCalls?.n };
}

async function pruneInBatches(db: Database) {
  const old = new Date(NOW.getTime() - 120 * DAY);
  const recent = new Date(NOW.getTime() - 3 * DAY);
  await db
    .insert(schema.toolCalls)
    .values([...Array.from({ length: 7 }, () => call(old)), call(recent), call(NOW)]);
  await db.insert(schema.adminEvents).values([...Array.from({ length: 4 }, () => event(old)), event(recent)]);
  const cutoff = new Date(NOW.getTime() - 90 * DAY);
  expect(await pruneAuditRows(db, { cutoff, batchSize: 3 })).toEqual({ toolCalls: 7, adminEvents: 4 });
  expect(await countRows(db)).toEqual({ calls: 2, events: 1, oldCalls: 0 });
  // Nothing left to do: a second run deletes nothing.
  expect(await pruneAuditRows(db, { cutoff, batchSize: 3 })).toEqual({ toolCalls: 0, adminEvents: 0 });
}

async function aggregates(db: Database) {
  const [person] = await db
    .insert(schema.users)
    .values({ email: `agg-${randomUUID()}@example.com` })
    .returning();
  const [limited] = await db
    .insert(schema.users)
    .values({ email: `agg-limited-${randomUUID()}@example.com` })
    .returning();
  const range = resolveRange("1h", NOW);
  const minute = (m: number) => new Date(range.since.getTime() + m * 60_000 + 5_000);
  // alpha: durations 1..100 ms in minute 0; two tool errors and one error in minute 59.
  await db.insert(schema.toolCalls).values([
    ...Array.from({ length: 100 }, (_, i) => call(minute(0), { durationMs: i + 1, userId: person?.id })),
    call(minute(59), { status: "tool_error", durationMs: 5 }),
    call(minute(59), { status: "tool_error", durationMs: 5, tool: "add" }),
    call(minute(59), { status: "error", durationMs: 30_000, serverName: "beta", errorClass: "timeout" }),
    // gamma: two calls refused by a rate limit and one waiting on a credential (answered by the
    // hub, no upstream time), one that asked the person for input, one ok.
    ...["rate_limit_person", "rate_limit_server"].map((errorClass) =>
      call(minute(30), {
        status: "rate_limited",
        durationMs: 0,
        serverName: "gamma",
        errorClass,
        userId: limited?.id,
      }),
    ),
    call(minute(31), { status: "input_required", durationMs: 3, serverName: "gamma", userId: limited?.id }),
    call(minute(31), { durationMs: 7, serverName: "gamma", userId: limited?.id }),
    call(minute(31), {
      status: "error",
      durationMs: 0,
      serverName: "gamma",
      errorClass: "credential_missing",
      userId: limited?.id,
    }),
    // Outside the range: never counted.
    call(new Date(range.since.getTime() - 1_000), { durationMs: 99_999 }),
  ]);
  const buckets = await getCallsOverTime(range, db);
  expect(buckets).toHaveLength(60);
  const none = { ok: 0, inputRequired: 0, toolError: 0, error: 0, rateLimited: 0 };
  const at = (m: number) => new Date(range.since.getTime() + m * 60_000);
  expect(buckets[0]).toEqual({ ...none, at: range.since, ok: 100 });
  expect(buckets[59]).toEqual({ ...none, at: at(59), toolError: 2, error: 1 });
  expect(buckets[30]).toEqual({ ...none, at: at(30), rateLimited: 2 });
  expect(buckets[31]).toEqual({ ...none, at: at(31), inputRequired: 1, ok: 1, error: 1 });
  const others = buckets.filter((_, m) => ![0, 30, 31, 59].includes(m));
  expect(others.every((b) => Object.values({ ...b, at: 0 }).every((n) => n === 0))).toBe(true);

  const servers = await getServerLatency(range, db);
  expect(servers.map((s) => [s.server, s.calls, s.toolErrors, s.errors])).toEqual([
    ["alpha", 102, 2, 0],
    ["gamma", 5, 0, 1],
    ["beta", 1, 0, 1],
  ]);
  const alpha = servers[0];
  expect(alpha?.errorRate).toBeCloseTo(2 / 102, 6);
  // percentile_cont interpolates: the median of 1..100 plus two 5s.
  expect(alpha?.p50).toBeCloseTo(50.5 - 1, 6);
  expect(alpha?.p99).toBeGreaterThan(98);
  // gamma's latency is of the two calls that reached it (3 and 7 ms), not of the hub's own answers.
  expect(servers[1]?.p50).toBeCloseTo(5, 6);
  expect(servers[1]?.p99).toBeLessThanOrEqual(7);
  expect(servers[2]).toMatchObject({ p50: 30_000, p95: 30_000, p99: 30_000, errorRate: 1 });

  const tools = await getToolLatency(range, db);
  expect(tools.map((t) => [t.server, t.tool, t.calls])).toEqual([
    ["alpha", "echo", 101],
    ["gamma", "echo", 5],
    ["alpha", "add", 1],
    ["beta", "echo", 1],
  ]);
  const people = await getMostActivePeople(range, db);
  expect(people[0]).toEqual({ userId: person?.id, email: person?.email, calls: 100, errors: 0 });
  expect(people[1]).toEqual({ userId: limited?.id, email: limited?.email, calls: 5, errors: 1 });
  expect(people[2]).toEqual({ userId: null, email: null, calls: 3, errors: 1 });

  // Failing upstreams: the last 15 minutes' failures of the server itself. beta's timeouts count
  // (the one of minute 59 too);
  // delta's calls failed for the person's or the client's reasons, which do not make it failing.
  const recently = new Date(NOW.getTime() - 60_000);
  await db.insert(schema.toolCalls).values([
    call(recently, {
      serverName: "delta",
      status: "error",
      errorClass: "credential_missing",
      durationMs: 0,
    }),
    call(recently, { serverName: "delta", status: "error", errorClass: "cancelled" }),
    call(recently, { serverName: "delta", status: "rate_limited", errorClass: "rate_limit_server" }),
    call(recently, { serverName: "delta" }),
    call(recently, { serverName: "beta", status: "error", errorClass: "upstream_unavailable" }),
    call(recently, { serverName: "beta" }),
    call(recently, { serverName: "beta" }),
  ]);
  const failing = await getFailingUpstreams(NOW, db);
  expect(failing.map((f) => [f.server, f.calls, f.errors])).toEqual([["beta", 4, 2]]);
  expect(failing[0]?.errorRate).toBeCloseTo(0.5, 6);

  // A server whose every call the hub refused has no latency (the page shows "–"), not 0 ms.
  await db.insert(schema.toolCalls).values(
    Array.from({ length: 3 }, () =>
      call(recently, {
        serverName: "zeta",
        status: "rate_limited",
        errorClass: "rate_limit_server",
        durationMs: 0,
      }),
    ),
  );
  const zeta = (await getServerLatency(range, db)).find((s) => s.server === "zeta");
  expect(zeta).toMatchObject({ calls: 3, p50: null, p95: null, p99: null });
}

/**
 * The call log's batch insert (one array parameter per column): every value comes back as it was
 * queued, whatever characters it holds, with missing values as NULL, and a batch of the call log's
 * largest size (500) is one statement.
 */
async function callLogRows(db: Database) {
  const [person] = await db
    .insert(schema.users)
    .values({ email: `rows-${randomUUID()}@example.com` })
    .returning();
  const awkward = ['a "quoted", {braced} tool', "back\\slash\\", "NULL", "", "ünïcödé ✓", "comma,semi;colon"];
  const queued = awkward.map((tool, i) => ({
    at: new Date(NOW.getTime() + i),
    userId: i % 2 === 0 ? person?.id : null,
    keyId: null,
    serverId: null,
    serverName: `server ${tool}`,
    tool,
    status: i === 1 ? "error" : "ok",
    durationMs: i * 1_000,
    errorClass: i === 1 ? "timeout" : null,
    requestId: randomUUID(),
    argumentBytes: i,
    resultBytes: i === 1 ? null : 2 ** 31 - 1,
  }));
  await insertCallRows(db, queued);
  const stored = await db
    .select()
    .from(schema.toolCalls)
    .where(
      inArray(
        schema.toolCalls.requestId,
        queued.map((row) => row.requestId),
      ),
    );
  expect(stored.map(({ id: _id, ...row }) => row).sort((a, b) => a.at.getTime() - b.at.getTime())).toEqual(
    queued,
  );
  expect(stored.every((row) => /^[0-9a-f-]{36}$/.test(row.id))).toBe(true);

  const batch = Array.from({ length: 500 }, (_, i) => call(NOW, { durationMs: i, tool: "bulk" }));
  await insertCallRows(db, batch);
  const [bulk] = await db
    .select({ n: count() })
    .from(schema.toolCalls)
    .where(eq(schema.toolCalls.tool, "bulk"));
  expect(bulk?.n).toBe(500);
  await insertCallRows(db, []);
}

test("array literals quote every element and leave missing values NULL", () => {
  expect(arrayLiteral(["a", 'b"c', "d\\e", null, undefined, 7, "NULL"])).toBe(
    '{"a","b\\"c","d\\\\e",NULL,NULL,"7","NULL"}',
  );
  expect(arrayLiteral([])).toBe("{}");
  // PostgreSQL text cannot hold NUL: it would refuse the whole batch.
  expect(arrayLiteral(["a\u0000b"])).toBe('{"a\uFFFDb"}');
});

test("JSON from an upstream is made storable: NUL in any string or key becomes U+FFFD, nothing else changes", () => {
  const tools = [
    {
      name: "a\u0000b",
      description: "literal \\u0000 stays",
      inputSchema: { type: "object", properties: { "k\u0000": { type: "string", default: null } }, n: 3 },
    },
  ];
  expect(storableJson(tools)).toEqual([
    {
      name: "a\uFFFDb",
      description: "literal \\u0000 stays",
      inputSchema: { type: "object", properties: { "k\uFFFD": { type: "string", default: null } }, n: 3 },
    },
  ]);
  expect(storableText("plain")).toBe("plain");
});

test.describe("on PGlite", () => {
  let client: PGlite;
  let db: Database;
  test.beforeEach(async () => {
    client = await PGlite.create();
    await migratePgliteDatabase(client);
    db = drizzlePglite({ client, schema }) as unknown as Database;
  });
  test.afterEach(async () => client.close());

  test("prune deletes rows older than the cutoff in bounded batches, and only those", async () => {
    await pruneInBatches(db);
  });
  test("the dashboard's aggregates: bars by date_bin, error rates, percentile_cont", async () => {
    await aggregates(db);
  });
  test("the call log's batch insert keeps every value as queued", async () => {
    await callLogRows(db);
  });
});

test.describe("on PostgreSQL @postgres", () => {
  test("prune and aggregates; two instances pruning at once delete each row once", async () => {
    const scratch = await createScratchDatabase("audit_store");
    const first = postgres(scratch.url, { max: 2, onnotice: () => {} });
    const second = postgres(scratch.url, { max: 2, onnotice: () => {} });
    try {
      await migratePostgresDatabase(scratch.url);
      const a = drizzlePostgres(first, { schema }) as unknown as Database;
      const b = drizzlePostgres(second, { schema }) as unknown as Database;
      await pruneInBatches(a);
      await aggregates(a);
      await callLogRows(a);

      const old = new Date(NOW.getTime() - 200 * DAY);
      await a.insert(schema.toolCalls).values(Array.from({ length: 2_000 }, () => call(old)));
      const cutoff = new Date(NOW.getTime() - 90 * DAY);
      const [one, two] = await Promise.all([
        pruneAuditRows(a, { cutoff, batchSize: 100 }),
        pruneAuditRows(b, { cutoff, batchSize: 100 }),
      ]);
      expect((one?.toolCalls ?? 0) + (two?.toolCalls ?? 0)).toBe(2_000);
      expect((await countRows(a)).oldCalls).toBe(0);
    } finally {
      await first.end();
      await second.end();
      await scratch.drop();
    }
  });
});

test("CSV cells: formulas neutralised, quotes doubled, separators quoted", () => {
  expect(csvCell("=1+1")).toBe("'=1+1");
  expect(csvCell("+41 44")).toBe("'+41 44");
  expect(csvCell("-2")).toBe("'-2");
  expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
  expect(csvCell("\tx")).toBe("'\tx");
  expect(csvCell("\rx")).toBe(`"'\rx"`);
  expect(csvCell('=HYPERLINK("u","x")')).toBe(`"'=HYPERLINK(""u"",""x"")"`);
  expect(csvCell("a,b")).toBe('"a,b"');
  expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
  expect(csvCell("plain")).toBe("plain");
  expect(csvCell(null)).toBe("");
  expect(csvCell(undefined)).toBe("");
  expect(csvCell(42)).toBe("42");
  expect(csvCell(-1)).toBe("-1");
  expect(csvCell(new Date("2026-01-02T03:04:05Z"))).toBe("2026-01-02T03:04:05.000Z");
  expect(csvCell({ changed: ["env"] })).toBe('"{""changed"":[""env""]}"');
  expect(csvLine(["a", "=b", null])).toBe("a,'=b,\r\n");
});
