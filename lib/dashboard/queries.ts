import { and, desc, eq, gte, isNotNull, lt, type SQL, sql } from "drizzle-orm";
import { type Database, getDb } from "@/lib/db";
import { servers, toolCalls, users } from "@/lib/db/schema";
import { flushCallLog } from "@/lib/mcp/call-log";
import type { Range } from "./range";

/**
 * How a call ended (tool_calls.status), by the name a bucket counts it under. Every status has its
 * own count, so a burst of rate-limited calls or of questions to the person shows on the chart.
 */
export const BUCKET_STATUSES = {
  ok: "ok",
  inputRequired: "input_required",
  toolError: "tool_error",
  error: "error",
  rateLimited: "rate_limited",
} as const;
export type BucketStatus = keyof typeof BUCKET_STATUSES;
export type CallBucket = { at: Date } & Record<BucketStatus, number>;
export type LatencyRow = {
  server: string;
  tool?: string;
  calls: number;
  toolErrors: number;
  errors: number;
  /** Calls that failed (error) or answered with isError (tool_error), over all calls. */
  errorRate: number;
  /** Of the calls that reached the upstream; null when none did. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
};
export type ActivePerson = { userId: string | null; email: string | null; calls: number; errors: number };
export type FailingUpstream = {
  server: string;
  /** Recent calls that reached the server (not those the hub answered itself). */
  calls: number;
  /** Of those, the ones the server failed (not a missing credential or a client that gave up). */
  errors: number;
  errorRate: number;
  lastError: string | null;
  lastErrorAt: Date | null;
};

const TOP = 15;

/**
 * The hub's database, with this instance's queued call rows written first so the newest calls
 * count; tests pass a database of their own.
 */
async function handle(db?: Database): Promise<Database> {
  if (db) return db;
  await flushCallLog();
  return getDb();
}
/** "Recent" for failing upstreams, whatever the chart's range: what is failing now. */
const RECENT_MS = 15 * 60_000;

const countOf = (status: string) =>
  sql<number>`(count(*) filter (where ${toolCalls.status} = ${status}))::int`;
const counts = {
  calls: sql<number>`count(*)::int`,
  toolErrors: countOf("tool_error"),
  errors: countOf("error"),
};
/**
 * Latency is the upstream's: calls the hub answered itself (refused by a rate limit, or waiting on
 * a credential the person has not linked) take no time and would pull the percentiles down.
 * Null when no call in the row reached an upstream.
 */
const reachedUpstream = sql`${toolCalls.status} <> 'rate_limited' and ${toolCalls.errorClass} is distinct from 'credential_missing'`;
const percentile = (fraction: number) =>
  sql<
    number | null
  >`percentile_cont(${sql.raw(String(fraction))}) within group (order by ${toolCalls.durationMs}) filter (where ${reachedUpstream})`.mapWith(
    Number,
  );
const percentiles = { p50: percentile(0.5), p95: percentile(0.95), p99: percentile(0.99) };

const inRange = (range: Range) => and(gte(toolCalls.at, range.since), lt(toolCalls.at, range.until));
const rate = (row: { calls: number; toolErrors: number; errors: number }) =>
  row.calls === 0 ? 0 : (row.toolErrors + row.errors) / row.calls;

/** Calls per bar, by how they ended; bars without calls are filled in, so the x axis is time. */
export async function getCallsOverTime(range: Range, database?: Database): Promise<CallBucket[]> {
  const db = await handle(database);
  const bucket = sql`date_bin(${range.bucket}::interval, ${toolCalls.at}, ${range.since.toISOString()}::timestamptz)`;
  const countsByStatus = Object.fromEntries(
    Object.entries(BUCKET_STATUSES).map(([name, status]) => [name, countOf(status)]),
  ) as Record<BucketStatus, SQL<number>>;
  const rows = await db
    .select({ at: sql<string>`${bucket}`.mapWith(String), ...countsByStatus })
    .from(toolCalls)
    .where(inRange(range))
    // By position: the bucket expression carries bind parameters, which PostgreSQL would not match.
    .groupBy(sql`1`);
  const byTime = new Map(rows.map((row) => [new Date(row.at).getTime(), row]));
  const empty = Object.fromEntries(Object.keys(BUCKET_STATUSES).map((name) => [name, 0])) as Record<
    BucketStatus,
    number
  >;
  const buckets: CallBucket[] = [];
  for (let t = range.since.getTime(); t < range.until.getTime(); t += range.bucketMs) {
    const { at: _at, ...row } = byTime.get(t) ?? { at: "", ...empty };
    buckets.push({ at: new Date(t), ...row });
  }
  return buckets;
}

/** The busiest servers, with error rate and latency percentiles. */
export async function getServerLatency(range: Range, database?: Database): Promise<LatencyRow[]> {
  const db = await handle(database);
  const rows = await db
    .select({ server: toolCalls.serverName, ...counts, ...percentiles })
    .from(toolCalls)
    .where(inRange(range))
    .groupBy(toolCalls.serverName)
    .orderBy(desc(sql`count(*)`))
    .limit(TOP);
  return rows.map((row) => ({ ...row, errorRate: rate(row) }));
}

/** The busiest tools, with error rate and latency percentiles. */
export async function getToolLatency(range: Range, database?: Database): Promise<LatencyRow[]> {
  const db = await handle(database);
  const rows = await db
    .select({ server: toolCalls.serverName, tool: toolCalls.tool, ...counts, ...percentiles })
    .from(toolCalls)
    .where(inRange(range))
    .groupBy(toolCalls.serverName, toolCalls.tool)
    .orderBy(desc(sql`count(*)`))
    .limit(TOP);
  return rows.map((row) => ({ ...row, errorRate: rate(row) }));
}

/** The people who called most; grouped on the (user_id, at) index, joined to names afterwards. */
export async function getMostActivePeople(range: Range, database?: Database): Promise<ActivePerson[]> {
  const db = await handle(database);
  const top = db
    .select({ userId: toolCalls.userId, calls: counts.calls.as("calls"), errors: counts.errors.as("errors") })
    .from(toolCalls)
    .where(inRange(range))
    .groupBy(toolCalls.userId)
    .orderBy(desc(sql`count(*)`))
    .limit(TOP)
    .as("top");
  return db
    .select({ userId: top.userId, email: users.email, calls: top.calls, errors: top.errors })
    .from(top)
    .leftJoin(users, eq(users.id, top.userId))
    .orderBy(desc(top.calls));
}

/**
 * Upstreams failing now: servers whose calls in the last 15 minutes failed, and servers whose last
 * tools/list or connection failed (lastError), newest first.
 */
export async function getFailingUpstreams(now = new Date(), database?: Database): Promise<FailingUpstream[]> {
  const db = await handle(database);
  const since = new Date(now.getTime() - RECENT_MS);
  const recent = await db
    .select({
      server: toolCalls.serverName,
      calls: sql<number>`(count(*) filter (where ${reachedUpstream}))::int`,
      // Not the upstream's failures: a credential the person has not linked, a client that gave up.
      errors: sql<number>`(count(*) filter (where ${toolCalls.status} = 'error' and ${toolCalls.errorClass} is distinct from 'credential_missing' and ${toolCalls.errorClass} is distinct from 'cancelled'))::int`,
    })
    .from(toolCalls)
    .where(gte(toolCalls.at, since))
    .groupBy(toolCalls.serverName);
  const erroring = await db
    .select({ name: servers.name, lastError: servers.lastError, lastErrorAt: servers.lastErrorAt })
    .from(servers)
    .where(and(eq(servers.enabled, true), isNotNull(servers.lastError)));
  const byName = new Map<string, FailingUpstream>();
  for (const row of recent)
    if (row.errors > 0)
      byName.set(row.server, {
        ...row,
        errorRate: row.errors / row.calls,
        lastError: null,
        lastErrorAt: null,
      });
  for (const server of erroring) {
    const known = byName.get(server.name);
    byName.set(server.name, {
      server: server.name,
      calls: known?.calls ?? 0,
      errors: known?.errors ?? 0,
      errorRate: known?.errorRate ?? 0,
      lastError: server.lastError,
      lastErrorAt: server.lastErrorAt,
    });
  }
  return [...byName.values()].sort((a, b) => b.errorRate - a.errorRate || b.errors - a.errors);
}

/** Whether any call was ever logged, to tell an empty hub from a quiet range. */
export async function hasAnyCalls(database?: Database): Promise<boolean> {
  const db = await handle(database);
  const [row] = await db.select({ id: toolCalls.id }).from(toolCalls).limit(1);
  return Boolean(row);
}
