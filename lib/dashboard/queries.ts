import { and, desc, eq, gte, isNotNull, lt, sql } from "drizzle-orm";
import { type Database, getDb } from "@/lib/db";
import { servers, toolCalls, users } from "@/lib/db/schema";
import { flushCallLog } from "@/lib/mcp/call-log";
import type { Range } from "./range";

export type CallBucket = { at: Date; ok: number; toolError: number; error: number };
export type LatencyRow = {
  server: string;
  tool?: string;
  calls: number;
  toolErrors: number;
  errors: number;
  /** Calls that failed (error) or answered with isError (tool_error), over all calls. */
  errorRate: number;
  p50: number;
  p95: number;
  p99: number;
};
export type ActivePerson = { userId: string | null; email: string | null; calls: number; errors: number };
export type FailingUpstream = {
  server: string;
  calls: number;
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

const counts = {
  calls: sql<number>`count(*)::int`,
  toolErrors: sql<number>`(count(*) filter (where ${toolCalls.status} = 'tool_error'))::int`,
  errors: sql<number>`(count(*) filter (where ${toolCalls.status} = 'error'))::int`,
};
const percentiles = {
  p50: sql<number>`percentile_cont(0.5) within group (order by ${toolCalls.durationMs})`.mapWith(Number),
  p95: sql<number>`percentile_cont(0.95) within group (order by ${toolCalls.durationMs})`.mapWith(Number),
  p99: sql<number>`percentile_cont(0.99) within group (order by ${toolCalls.durationMs})`.mapWith(Number),
};

const inRange = (range: Range) => and(gte(toolCalls.at, range.since), lt(toolCalls.at, range.until));
const rate = (row: { calls: number; toolErrors: number; errors: number }) =>
  row.calls === 0 ? 0 : (row.toolErrors + row.errors) / row.calls;

/** Calls per bar, by how they ended; bars without calls are filled in, so the x axis is time. */
export async function getCallsOverTime(range: Range, database?: Database): Promise<CallBucket[]> {
  const db = await handle(database);
  const bucket = sql`date_bin(${range.bucket}::interval, ${toolCalls.at}, ${range.since.toISOString()}::timestamptz)`;
  const rows = await db
    .select({
      at: sql<string>`${bucket}`.mapWith(String),
      ok: sql<number>`(count(*) filter (where ${toolCalls.status} = 'ok'))::int`,
      toolErrors: counts.toolErrors,
      errors: counts.errors,
    })
    .from(toolCalls)
    .where(inRange(range))
    // By position: the bucket expression carries bind parameters, which PostgreSQL would not match.
    .groupBy(sql`1`);
  const byTime = new Map(rows.map((row) => [new Date(row.at).getTime(), row]));
  const buckets: CallBucket[] = [];
  for (let t = range.since.getTime(); t < range.until.getTime(); t += range.bucketMs) {
    const row = byTime.get(t);
    buckets.push({
      at: new Date(t),
      ok: row?.ok ?? 0,
      toolError: row?.toolErrors ?? 0,
      error: row?.errors ?? 0,
    });
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
    .select({ server: toolCalls.serverName, ...counts })
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
