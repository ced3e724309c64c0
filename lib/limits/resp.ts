import net from "node:net";
import tls from "node:tls";

/**
 * A minimal Redis client (RESP2 over one TCP or TLS connection) for the rate-limit counters: the
 * hub needs INCR, DECR, PEXPIRE, MGET and GET, pipelined. Written here rather than taken from npm
 * so its failure behaviour is ours: no offline queue, a short timeout on every command, and a
 * failing server makes calls fail fast instead of waiting (see docs/decisions/0012-rate-limits.md).
 */

export type RespValue = string | number | null | RespValue[];

/** An error reply from Redis (`-ERR …`): the command was wrong, the connection is fine. */
export class RespError extends Error {
  override name = "RespError";
}

export type RespOptions = {
  /** Milliseconds to open the connection (and authenticate). Default 1000. */
  connectTimeoutMs?: number;
  /** Milliseconds a pipeline may wait for its replies before the connection is dropped. Default 500. */
  commandTimeoutMs?: number;
  /** After a failed connection, calls fail at once for this long instead of reconnecting. Default 1000. */
  retryAfterMs?: number;
};

type Pending = { resolve: (value: RespValue | RespError) => void; reject: (error: Error) => void };

const CRLF = "\r\n";

export function encodeCommand(args: readonly (string | number)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}${CRLF}`)];
  for (const arg of args) {
    const value = Buffer.from(String(arg));
    parts.push(Buffer.from(`$${value.length}${CRLF}`), value, Buffer.from(CRLF));
  }
  return Buffer.concat(parts);
}

/** Parses one reply at `offset`; undefined when the buffer does not hold all of it yet. */
export function parseReply(
  buffer: Buffer,
  offset = 0,
): { value: RespValue | RespError; next: number } | undefined {
  const end = buffer.indexOf(CRLF, offset);
  if (end === -1) return undefined;
  const type = String.fromCharCode(buffer[offset] as number);
  const line = buffer.toString("utf8", offset + 1, end);
  const after = end + 2;
  switch (type) {
    case "+":
      return { value: line, next: after };
    case "-":
      return { value: new RespError(line), next: after };
    case ":":
      return { value: Number(line), next: after };
    case "$": {
      const length = Number(line);
      if (length < 0) return { value: null, next: after };
      if (buffer.length < after + length + 2) return undefined;
      return { value: buffer.toString("utf8", after, after + length), next: after + length + 2 };
    }
    case "*": {
      const count = Number(line);
      if (count < 0) return { value: null, next: after };
      const items: RespValue[] = [];
      let next = after;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buffer, next);
        if (!item) return undefined;
        if (item.value instanceof RespError) throw item.value;
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default:
      throw new Error(`Redis sent a reply this client does not understand (type ${JSON.stringify(type)})`);
  }
}

/** One socket with its own reply queue, so a late event of an old socket never touches a new one. */
class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly pending: Pending[] = [];
  closed = false;

  constructor(
    readonly socket: net.Socket,
    /** `lost`: the socket failed or Redis closed it (not this client). */
    private readonly onClose: (connection: Connection, lost: boolean) => void,
  ) {
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    // Socket errors (EPIPE, ECONNRESET) are named as Redis' so callers and logs can tell what failed.
    socket.on("error", (error) =>
      this.close(new Error(`The Redis connection failed: ${error.message}`), true),
    );
    socket.on("close", () => this.close(new Error("Redis closed the connection"), true));
  }

  send(commands: ReadonlyArray<readonly (string | number)[]>, timeoutMs: number): Promise<RespValue[]> {
    if (this.closed) return Promise.reject(new Error("The Redis connection is closed"));
    const replies = commands.map(
      () => new Promise<RespValue | RespError>((resolve, reject) => this.pending.push({ resolve, reject })),
    );
    this.socket.write(Buffer.concat(commands.map(encodeCommand)));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // Replies that arrive later would be matched to the next commands: start over instead.
        const error = new Error(`Redis did not answer within ${timeoutMs} ms`);
        this.close(error);
        reject(error);
      }, timeoutMs);
    });
    return Promise.race([Promise.all(replies), timeout])
      .then((values) => {
        const failed = values.find((value) => value instanceof RespError);
        if (failed) throw failed;
        return values as RespValue[];
      })
      .finally(() => clearTimeout(timer));
  }

  close(error: Error, lost = false): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    for (const waiting of this.pending.splice(0)) waiting.reject(error);
    this.onClose(this, lost);
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let offset = 0;
    try {
      for (;;) {
        const reply = parseReply(this.buffer, offset);
        if (!reply) break;
        offset = reply.next;
        this.pending.shift()?.resolve(reply.value);
      }
    } catch (error) {
      this.close(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.buffer = this.buffer.subarray(offset);
  }
}

export class RespClient {
  private current?: Connection;
  private connecting?: Promise<Connection>;
  private failedAt = 0;
  private readonly connectTimeoutMs: number;
  private readonly commandTimeoutMs: number;
  private readonly retryAfterMs: number;

  constructor(
    private readonly url: URL,
    options: RespOptions = {},
  ) {
    this.connectTimeoutMs = options.connectTimeoutMs ?? 1_000;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 500;
    this.retryAfterMs = options.retryAfterMs ?? 1_000;
  }

  /** Sends the commands in one write and answers their replies in order; an error reply rejects. */
  async pipeline(commands: ReadonlyArray<readonly (string | number)[]>): Promise<RespValue[]> {
    const connection = await this.connect();
    return connection.send(commands, this.commandTimeoutMs);
  }

  async command(...args: (string | number)[]): Promise<RespValue> {
    const [reply] = await this.pipeline([args]);
    return reply ?? null;
  }

  close(): void {
    this.current?.close(new Error("The Redis connection was closed"));
  }

  private connect(): Promise<Connection> {
    if (this.current && !this.current.closed) return Promise.resolve(this.current);
    if (this.connecting) return this.connecting;
    const waited = Date.now() - this.failedAt;
    if (waited < this.retryAfterMs)
      return Promise.reject(
        new Error(`Redis is unreachable; the next try is in ${this.retryAfterMs - waited} ms`),
      );
    this.connecting = this.open()
      .then((connection) => {
        this.current = connection;
        return connection;
      })
      .catch((error) => {
        this.failedAt = Date.now();
        throw error;
      })
      .finally(() => {
        this.connecting = undefined;
      });
    return this.connecting;
  }

  private async open(): Promise<Connection> {
    const port = Number(this.url.port || 6379);
    const host = this.url.hostname.replace(/^\[|\]$/g, "");
    const secure = this.url.protocol === "rediss:";
    const socket = secure
      ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host })
      : net.connect({ host, port });
    socket.setNoDelay(true);
    // The counters must never keep the hub's process alive on shutdown.
    socket.unref();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`Could not connect to Redis at ${host}:${port} within ${this.connectTimeoutMs} ms`));
      }, this.connectTimeoutMs);
      socket.once(secure ? "secureConnect" : "connect", () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once("error", (error) => {
        clearTimeout(timer);
        reject(new Error(`Could not connect to Redis at ${host}:${port}: ${error.message}`));
      });
    });
    const connection = new Connection(socket, (closed, lost) => {
      if (this.current === closed) this.current = undefined;
      // A connection lost to a dead or restarting Redis: pause reconnecting as after a failed connect.
      if (lost) this.failedAt = Date.now();
    });
    const hello: Array<Array<string | number>> = [];
    const password = decodeURIComponent(this.url.password);
    const user = decodeURIComponent(this.url.username);
    if (password) hello.push(user ? ["AUTH", user, password] : ["AUTH", password]);
    const database = this.url.pathname.replace(/^\//, "");
    if (database) hello.push(["SELECT", database]);
    if (hello.length > 0) {
      try {
        await connection.send(hello, this.connectTimeoutMs);
      } catch (error) {
        connection.close(error instanceof Error ? error : new Error(String(error)));
        // The reply names the problem (WRONGPASS, invalid DB index) but never the password.
        throw new Error(
          `Redis refused the connection set-up: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return connection;
  }
}
