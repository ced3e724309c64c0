import { PGlite } from "@electric-sql/pglite";
import { expect, test } from "@playwright/test";
import { QUERY_SLICE_MS, shareEventLoop } from "@/lib/db/pglite-turns";

// One in-memory database for the file: opening PGlite takes a second or two.
let db: PGlite;
test.beforeAll(async () => {
  db = shareEventLoop(await PGlite.create());
  await db.exec("create table counter (n integer)");
});
test.afterAll(async () => {
  await db.close();
});

/** Queues `count` queries that each take a few milliseconds; resolves with the times they ended. */
function queueSlowQueries(count: number): Promise<number[]> {
  return Promise.all(
    Array.from({ length: count }, () =>
      db.query("select count(*) from generate_series(1, 30000)").then(() => performance.now()),
    ),
  );
}

test("a burst of queued queries lets the event loop run other work between them", async () => {
  const ended = queueSlowQueries(60);
  // Work that arrives with the burst (a request's I/O callback, here an immediate) runs long before
  // the last query: without turns it would wait for all sixty.
  const otherWorkRan = await new Promise<number>((resolve) => setImmediate(() => resolve(performance.now())));
  const times = await ended;
  const last = Math.max(...times);
  const first = Math.min(...times);
  expect(last - first).toBeGreaterThan(4 * QUERY_SLICE_MS);
  expect(otherWorkRan).toBeLessThan(last);
  expect(times.filter((t) => t < otherWorkRan).length).toBeLessThan(times.length);
});

test("queries still run one at a time in the order they were sent, and errors reach their caller", async () => {
  const order: number[] = [];
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      db.query("insert into counter (n) values ($1)", [i]).then(() => order.push(i)),
    ),
  );
  expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  await expect(db.query("select * from no_such_table")).rejects.toThrow(/no_such_table/);
  // The failure does not stop the queries behind it.
  expect((await db.query<{ c: number }>("select count(*)::int as c from counter")).rows[0]?.c).toBe(20);
});

test("a transaction keeps the database until it ends; queries sent meanwhile wait for it", async () => {
  const seen: string[] = [];
  const tx = db.transaction(async (t) => {
    await t.query("insert into counter (n) values (100)");
    await new Promise((resolve) => setTimeout(resolve, 30));
    seen.push("transaction done");
  });
  const after = db.query<{ c: number }>("select count(*)::int as c from counter where n = 100").then((r) => {
    seen.push("query after");
    return r.rows[0]?.c;
  });
  await tx;
  expect(await after).toBe(1);
  expect(seen).toEqual(["transaction done", "query after"]);
});
