import { and, eq, lt, sql } from "drizzle-orm";
import { busInstanceId, onClusterEvent, tellOthers } from "@/lib/cluster/bus";
import { getDatabaseDriver, getDb } from "@/lib/db";
import { processLeases } from "@/lib/db/schema";
import { logger } from "@/lib/logger";

/** A lease not renewed for this long belongs to an instance that died: another may take it. */
export const LEASE_STALE_MS = 30_000;
export const LEASE_HEARTBEAT_MS = 10_000;
const TAKEOVER_WAIT_MS = 15_000;
const TAKEOVER_POLL_MS = 200;

export type LeaseOwner = { userId: string; serverId: string; serverName: string };

export class ProcessElsewhereError extends Error {
  constructor(serverName: string) {
    super(
      `Your process of ${serverName} is still running on another instance of the hub and did not stop in time; try again in a few seconds`,
    );
    this.name = "ProcessElsewhereError";
  }
}

/** Leases matter only when several instances share one PostgreSQL database. */
async function leasesInUse(): Promise<boolean> {
  return (await getDatabaseDriver()) === "postgres";
}

/** Takes the lease if it is free, already ours, or stale; answers who holds it afterwards. */
async function tryAcquire(owner: LeaseOwner): Promise<string | undefined> {
  const db = await getDb();
  const me = busInstanceId();
  const [row] = await db
    .insert(processLeases)
    .values({ userId: owner.userId, serverId: owner.serverId, instanceId: me })
    .onConflictDoUpdate({
      target: [processLeases.userId, processLeases.serverId],
      set: { instanceId: me, heartbeatAt: sql`now()` },
      setWhere: sql`${processLeases.instanceId} = ${me} or ${processLeases.heartbeatAt} < now() - make_interval(secs => ${LEASE_STALE_MS / 1000})`,
    })
    .returning({ instanceId: processLeases.instanceId });
  return row?.instanceId;
}

/**
 * Makes this instance the one that runs the person's process of this server. When another
 * instance runs it, that instance is asked (over the cluster bus) to stop it and give the lease
 * up; this waits until it has, so two processes for one person and server never run at once.
 */
export async function acquireProcessLease(owner: LeaseOwner): Promise<void> {
  if (!(await leasesInUse())) return;
  const me = busInstanceId();
  if ((await tryAcquire(owner)) === me) return;
  tellOthers({ kind: "process-release", userId: owner.userId, serverId: owner.serverId });
  const deadline = Date.now() + TAKEOVER_WAIT_MS;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, TAKEOVER_POLL_MS));
    if ((await tryAcquire(owner)) === me) return;
  }
  throw new ProcessElsewhereError(owner.serverName);
}

/** Gives the lease up once the process has stopped. */
export async function releaseProcessLease(owner: Pick<LeaseOwner, "userId" | "serverId">): Promise<void> {
  if (!(await leasesInUse())) return;
  try {
    const db = await getDb();
    await db
      .delete(processLeases)
      .where(
        and(
          eq(processLeases.userId, owner.userId),
          eq(processLeases.serverId, owner.serverId),
          eq(processLeases.instanceId, busInstanceId()),
        ),
      );
  } catch (error) {
    // A lease left behind goes stale after LEASE_STALE_MS and is taken over then.
    logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      "could not release a process lease",
    );
  }
}

/** Renews every lease this instance holds (its processes are alive); drops stale ones of dead instances. */
export async function renewProcessLeases(): Promise<void> {
  if (!(await leasesInUse())) return;
  const db = await getDb();
  await db
    .update(processLeases)
    .set({ heartbeatAt: sql`now()` })
    .where(eq(processLeases.instanceId, busInstanceId()));
  await db
    .delete(processLeases)
    .where(
      lt(processLeases.heartbeatAt, sql`now() - make_interval(secs => ${(LEASE_STALE_MS * 10) / 1000})`),
    );
}

/** Another instance wants a person's process: `stop` ends ours (which releases the lease). */
export function onProcessReleaseRequest(stop: (userId: string, serverId: string) => Promise<void>): void {
  onClusterEvent("process-release", ({ userId, serverId }) => {
    void stop(userId, serverId).catch((error) =>
      logger.warn(
        { err: error instanceof Error ? error.message : String(error), userId, serverId },
        "could not hand a process over to another instance",
      ),
    );
  });
}
