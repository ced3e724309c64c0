import type { PGlite } from "@electric-sql/pglite";

/**
 * How long PGlite may run queries back to back before the event loop gets a turn. PGlite runs
 * PostgreSQL inside this process, synchronously, and hands its lock from one waiting query to the
 * next without leaving the microtask queue: a burst of queued queries (a hundred people's first
 * calls at once) kept every other request waiting until the last one finished (/api/health's p99
 * during such a burst, docs/performance.md).
 */
export const QUERY_SLICE_MS = 5;

type Slice = { started: number; open: boolean };

/**
 * Resolves at once while the current run of queries is younger than QUERY_SLICE_MS; otherwise once
 * the event loop has had a turn (its I/O callbacks ran) and a new run begins.
 */
async function takeTurn(slice: Slice): Promise<void> {
  for (;;) {
    if (!slice.open) {
      slice.open = true;
      slice.started = performance.now();
      // The run ends when the event loop next reaches its check phase.
      setImmediate(() => {
        slice.open = false;
      });
      return;
    }
    if (performance.now() - slice.started < QUERY_SLICE_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Runs `client.query`, `exec` and `transaction` one after another in arrival order (as PGlite
 * does: a query waits for a transaction to end), giving the event loop a turn between them once a
 * run has lasted QUERY_SLICE_MS. A transaction's own statements are not split: it holds the
 * database until it ends, as it must.
 */
export function shareEventLoop(client: PGlite): PGlite {
  const slice: Slice = { started: 0, open: false };
  let tail: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
    const result = tail.then(() => takeTurn(slice)).then(run);
    tail = result.catch(() => {});
    return result;
  };
  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  const transaction = client.transaction.bind(client);
  client.query = ((...args: Parameters<typeof query>) => inTurn(() => query(...args))) as typeof client.query;
  client.exec = (...args: Parameters<typeof exec>) => inTurn(() => exec(...args));
  client.transaction = ((...args: Parameters<typeof transaction>) =>
    inTurn(() => transaction(...args))) as typeof client.transaction;
  return client;
}
