import { and, eq, isNull } from "drizzle-orm";
import { type Actor, recordAdminEvent } from "@/lib/audit/admin-events";
import { getDb } from "@/lib/db";
import { type RateLimit, rateLimits, servers, users } from "@/lib/db/schema";
import { AppError, parseInput } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { getCounterStore } from "./check";
import { usageOf } from "./decide";
import { rateLimitsChanged } from "./rule-cache";
import {
  type CreateRateLimitInput,
  createRateLimitSchema,
  type UpdateRateLimitInput,
  updateRateLimitSchema,
} from "./schemas";
import { windowStart } from "./window";

/** What the admin page and the REST API show of one limit. */
export type RateLimitView = {
  id: string;
  scope: RateLimit["scope"];
  /** null with scope person: the default for every person. */
  userId: string | null;
  userEmail: string | null;
  serverId: string | null;
  server: string | null;
  callsPerMinute: number;
  /** Calls counted in the last 60 seconds (sliding window); null for the default, or when unreadable. */
  usage: number | null;
  createdAt: Date;
  updatedAt: Date;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function selectViews(id?: string) {
  const db = await getDb();
  return db
    .select({
      id: rateLimits.id,
      scope: rateLimits.scope,
      userId: rateLimits.userId,
      userEmail: users.email,
      serverId: rateLimits.serverId,
      server: servers.name,
      callsPerMinute: rateLimits.callsPerMinute,
      createdAt: rateLimits.createdAt,
      updatedAt: rateLimits.updatedAt,
    })
    .from(rateLimits)
    .leftJoin(users, eq(users.id, rateLimits.userId))
    .leftJoin(servers, eq(servers.id, rateLimits.serverId))
    .where(id ? eq(rateLimits.id, id) : undefined);
}

type Row = Awaited<ReturnType<typeof selectViews>>[number];

function bucketOf(row: Pick<Row, "scope" | "userId" | "serverId">): string | null {
  if (row.scope === "server") return row.serverId ? `server:${row.serverId}` : null;
  return row.userId ? `person:${row.userId}` : null;
}

/** Adds each limit's current usage with one read of the counters; without them, usage is null. */
async function withUsage(rows: Row[]): Promise<RateLimitView[]> {
  const now = Date.now();
  const buckets = rows.map(bucketOf).filter((bucket): bucket is string => bucket !== null);
  let counts: Awaited<ReturnType<ReturnType<typeof getCounterStore>["peek"]>> | undefined;
  try {
    counts = await getCounterStore().peek(buckets, windowStart(now));
  } catch (error) {
    logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      "could not read rate-limit usage",
    );
  }
  return rows.map((row) => {
    const bucket = bucketOf(row);
    return { ...row, usage: bucket && counts ? usageOf(counts.get(bucket), now) : null };
  });
}

/** The default first, then people's overrides by email, then servers by name. */
function order(a: Row, b: Row): number {
  const rank = (row: Row) => (row.scope === "person" ? (row.userId ? 1 : 0) : 2);
  return rank(a) - rank(b) || (a.userEmail ?? a.server ?? "").localeCompare(b.userEmail ?? b.server ?? "");
}

export async function listRateLimits(): Promise<RateLimitView[]> {
  return withUsage((await selectViews()).sort(order));
}

export async function getRateLimit(id: string): Promise<RateLimitView> {
  const [row] = UUID.test(id) ? await selectViews(id) : [];
  if (!row) throw notFound(id);
  const [view] = await withUsage([row]);
  return view as RateLimitView;
}

/** Who a limit applies to, in words: the admin trail's target name and the page's messages. */
export function describeTarget(
  limit: Pick<RateLimitView, "scope" | "userEmail" | "server" | "userId">,
): string {
  if (limit.scope === "server") return `server ${limit.server ?? "(deleted)"}`;
  return limit.userId ? `person ${limit.userEmail ?? limit.userId}` : "every person";
}

export async function createRateLimit(actor: Actor, input: CreateRateLimitInput): Promise<RateLimitView> {
  const data = parseInput(createRateLimitSchema, input);
  const db = await getDb();
  let userId: string | null = null;
  let serverId: string | null = null;
  if (data.scope === "person" && data.userId) {
    const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, data.userId));
    if (!user) {
      const message = `No user with id ${data.userId}: user ids are listed by GET /api/v1/users`;
      throw new AppError("validation_failed", message, { userId: [message] });
    }
    userId = user.id;
  }
  if (data.scope === "server" && data.server) {
    const [server] = await db.select({ id: servers.id }).from(servers).where(eq(servers.name, data.server));
    if (!server) {
      const message = `No server named ${data.server}: server names are listed by GET /api/v1/servers`;
      throw new AppError("validation_failed", message, { server: [message] });
    }
    serverId = server.id;
  }
  const [created] = await db
    .insert(rateLimits)
    .values({ scope: data.scope, userId, serverId, callsPerMinute: data.callsPerMinute })
    .onConflictDoNothing()
    .returning();
  if (!created) {
    const [existing] = await db
      .select({ id: rateLimits.id })
      .from(rateLimits)
      .where(
        and(
          eq(rateLimits.scope, data.scope),
          userId ? eq(rateLimits.userId, userId) : isNull(rateLimits.userId),
          serverId ? eq(rateLimits.serverId, serverId) : isNull(rateLimits.serverId),
        ),
      );
    throw new AppError(
      "conflict",
      `There is already a limit for ${data.scope === "server" ? `server ${data.server}` : userId ? "this person" : "every person"}: change it instead (PATCH /api/v1/rate-limits/${existing?.id ?? "{id}"})`,
    );
  }
  rateLimitsChanged();
  const view = await getRateLimit(created.id);
  await recordAdminEvent(actor, {
    action: "limit.create",
    targetType: "rate_limit",
    targetId: view.id,
    targetName: describeTarget(view),
    details: { scope: view.scope, callsPerMinute: view.callsPerMinute },
  });
  return view;
}

export async function updateRateLimit(
  actor: Actor,
  id: string,
  input: UpdateRateLimitInput,
): Promise<RateLimitView> {
  const before = await getRateLimit(id);
  const data = parseInput(updateRateLimitSchema, input);
  const db = await getDb();
  const [updated] = await db
    .update(rateLimits)
    .set({ callsPerMinute: data.callsPerMinute, updatedAt: new Date() })
    .where(eq(rateLimits.id, before.id))
    .returning({ id: rateLimits.id });
  if (!updated) throw notFound(id);
  rateLimitsChanged();
  if (before.callsPerMinute !== data.callsPerMinute)
    await recordAdminEvent(actor, {
      action: "limit.update",
      targetType: "rate_limit",
      targetId: before.id,
      targetName: describeTarget(before),
      details: {
        changed: ["callsPerMinute"],
        values: { callsPerMinute: { from: before.callsPerMinute, to: data.callsPerMinute } },
      },
    });
  return getRateLimit(before.id);
}

export async function deleteRateLimit(actor: Actor, id: string): Promise<void> {
  const before = await getRateLimit(id);
  const db = await getDb();
  await db.delete(rateLimits).where(eq(rateLimits.id, before.id));
  rateLimitsChanged();
  await recordAdminEvent(actor, {
    action: "limit.delete",
    targetType: "rate_limit",
    targetId: before.id,
    targetName: describeTarget(before),
    details: { scope: before.scope, callsPerMinute: before.callsPerMinute },
  });
}

function notFound(id: string) {
  return new AppError(
    "not_found",
    UUID.test(id)
      ? `No rate limit with id ${id}`
      : `No rate limit with id ${id}: ids are UUIDs, listed by GET /api/v1/rate-limits`,
  );
}
