import net from "node:net";

/**
 * A TCP proxy between a hub and its PostgreSQL server, for outage tests:
 * - `drop()`: every open connection is cut and new ones are refused (the database restarted or
 *   went away: the driver sees ECONNRESET, then ECONNREFUSED);
 * - `pause()`: connections stay open but no byte moves, and new ones are accepted and held (a
 *   network that blackholes packets: the driver only sees silence);
 * - `resume()`: back to forwarding; held connections are connected to the target then.
 */
export type TcpProxy = {
  port: number;
  mode: () => "open" | "paused" | "dropped";
  /** Connections accepted so far (a reconnecting driver shows up here). */
  accepted: () => number;
  pause: () => void;
  drop: () => Promise<void>;
  resume: () => Promise<void>;
  close: () => Promise<void>;
};

type Pair = { client: net.Socket; upstream?: net.Socket };

export async function startTcpProxy(options: {
  port: number;
  target: { host: string; port: number };
}): Promise<TcpProxy> {
  let mode: "open" | "paused" | "dropped" = "open";
  let accepted = 0;
  const pairs = new Set<Pair>();
  const held: Pair[] = [];

  const connect = (pair: Pair) => {
    const upstream = net.connect(options.target.port, options.target.host);
    pair.upstream = upstream;
    pair.client.pipe(upstream);
    upstream.pipe(pair.client);
    const end = () => {
      pair.client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    upstream.on("error", end);
    upstream.on("close", end);
  };

  const server = net.createServer((client) => {
    accepted++;
    const pair: Pair = { client };
    pairs.add(pair);
    client.on("error", () => {});
    client.on("close", () => {
      pair.upstream?.destroy();
      pairs.delete(pair);
    });
    if (mode === "paused") {
      client.pause();
      held.push(pair);
    } else connect(pair);
  });

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  const stopListening = () => new Promise<void>((resolve) => server.close(() => resolve()));

  await listen();
  return {
    port: options.port,
    mode: () => mode,
    accepted: () => accepted,
    pause() {
      mode = "paused";
      // Unpiped as well as paused: a pipe resumes its source when the destination drains.
      for (const pair of pairs) {
        if (!pair.upstream) continue;
        pair.client.unpipe(pair.upstream);
        pair.upstream.unpipe(pair.client);
        pair.client.pause();
        pair.upstream.pause();
      }
    },
    async drop() {
      mode = "dropped";
      const closed = stopListening();
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream?.destroy();
      }
      pairs.clear();
      held.length = 0;
      await closed;
    },
    async resume() {
      if (mode === "dropped") await listen();
      mode = "open";
      for (const pair of pairs) {
        if (!pair.upstream || held.includes(pair)) continue;
        pair.client.pipe(pair.upstream);
        pair.upstream.pipe(pair.client);
      }
      for (const pair of held.splice(0)) {
        pair.client.resume();
        connect(pair);
      }
    },
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream?.destroy();
      }
      pairs.clear();
      if (mode !== "dropped") await stopListening();
    },
  };
}
