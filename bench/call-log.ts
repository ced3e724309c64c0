// npm run bench:call-log - what writing the call log costs the hub's process, per logged call.
// The call log queues each tools/call and writes the queue in batches (lib/mcp/call-log.ts); this
// writes the same batches two ways, alternately, on PGlite (in this process, so its CPU includes
// the database's own work) and on a scratch PostgreSQL database (BENCH_DATABASE_SERVER, default
// postgres://postgres@127.0.0.1:5432; BENCH_POSTGRES=0 skips it):
//   drizzle-values   drizzle's multi-row insert (a parameter per value): the baseline
//   insertCallRows   the hub's insert (one array parameter per column, unnested)
// BENCH_BATCH rows per batch (150: one client's calls in the call log's 250 ms), BENCH_BATCHES
// batches per round (200), 3 rounds. Prints batch latency p50/p99, rows/s and CPU µs per row, the
// p50, rows/s and CPU with their ratio to the baseline of the same round, and the process's RSS
// (which holds PGlite and the generated batches as well).
import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Database } from "@/lib/db";
import { migratePgliteDatabase, migratePostgresDatabase } from "@/lib/db/migrate";
import * as schema from "@/lib/db/schema";
import { type CallRecord, insertCallRows } from "@/lib/mcp/call-log-rows";
import { createScratchDatabase, DEFAULT_DATABASE_SERVER } from "./scratch-database";

const BATCH = Number(process.env.BENCH_BATCH ?? 150);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 200);
const ROUNDS = 3;

type Writer = { name: string; write: (db: Database, rows: CallRecord[]) => Promise<unknown> };
const WRITERS: Writer[] = [
  { name: "drizzle-values", write: (db, rows) => db.insert(schema.toolCalls).values(rows) },
  { name: "insertCallRows", write: insertCallRows },
];

type Result = { p50: number; p99: number; rowsPerSecond: number; cpuPerRowUs: number; rssMb: number };

/** A row as call-tool.ts queues it for a successful call. */
function callRow(): CallRecord {
  return {
    at: new Date(),
    userId: null,
    keyId: null,
    serverId: null,
    serverName: "every",
    tool: "echo",
    status: "ok",
    durationMs: 2,
    errorClass: null,
    requestId: randomUUID(),
    argumentBytes: 20,
    resultBytes: 64,
  };
}

async function measure(db: Database, writer: Writer): Promise<Result> {
  const batches = Array.from({ length: BATCHES }, () => Array.from({ length: BATCH }, callRow));
  for (const batch of batches.slice(0, 10)) await writer.write(db, batch); // warm-up
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (const batch of batches.slice(10)) {
    const t0 = performance.now();
    await writer.write(db, batch);
    latencies.push(performance.now() - t0);
  }
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const rows = latencies.length * BATCH;
  latencies.sort((a, b) => a - b);
  return {
    p50: latencies[Math.floor(latencies.length / 2)] ?? Number.NaN,
    p99: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? Number.NaN,
    rowsPerSecond: rows / seconds,
    cpuPerRowUs: (used.user + used.system) / rows,
    rssMb: process.memoryUsage().rss / 1024 / 1024,
  };
}

async function compare(label: string, db: Database): Promise<void> {
  for (let round = 1; round <= ROUNDS; round++) {
    const results: Array<[Writer, Result]> = [];
    for (const writer of WRITERS) results.push([writer, await measure(db, writer)]);
    const base = results[0]?.[1] as Result;
    for (const [writer, r] of results) {
      const ratio = (value: number, of: number) => `${(value / of).toFixed(2)}×`;
      console.log(
        `${label} round ${round} ${writer.name.padEnd(15)} batch of ${BATCH}: p50 ${r.p50.toFixed(2)} ms (${ratio(r.p50, base.p50)}), p99 ${r.p99.toFixed(2)} ms, ${r.rowsPerSecond.toFixed(0)} rows/s (${ratio(r.rowsPerSecond, base.rowsPerSecond)}), ${r.cpuPerRowUs.toFixed(1)} µs CPU/row (${ratio(r.cpuPerRowUs, base.cpuPerRowUs)}), RSS ${r.rssMb.toFixed(0)} MB`,
      );
    }
  }
}

async function main() {
  const pglite = await PGlite.create();
  try {
    await migratePgliteDatabase(pglite);
    await compare("PGlite", drizzlePglite({ client: pglite, schema }) as unknown as Database);
  } finally {
    await pglite.close();
  }
  if (process.env.BENCH_POSTGRES === "0") return;
  const scratch = await createScratchDatabase(
    process.env.BENCH_DATABASE_SERVER ?? DEFAULT_DATABASE_SERVER,
    "call_log",
  );
  const client = postgres(scratch.env.DATABASE_URL as string, { max: 2, onnotice: () => {} });
  try {
    await migratePostgresDatabase(scratch.env.DATABASE_URL as string);
    await compare("PostgreSQL", drizzlePostgres(client, { schema }) as unknown as Database);
  } finally {
    await client.end();
    await scratch.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
