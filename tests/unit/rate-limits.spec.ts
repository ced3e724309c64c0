import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { getEnv } from "@/lib/config/env";
import { decide } from "@/lib/limits/decide";
import { RedisCounterStore } from "@/lib/limits/redis-store";
import { encodeCommand, parseReply, RespClient, RespError } from "@/lib/limits/resp";
import { applicableLimits, refusalMessage } from "@/lib/limits/rules";
import {
  allows,
  elapsedFraction,
  estimate,
  retryAfterSeconds,
  WINDOW_MS,
  windowStart,
} from "@/lib/limits/window";
import { HUB_PORT } from "../support/env";
import { startRedis, type TestRedis } from "../support/redis";

const MINUTE = Date.UTC(2026, 0, 1, 12, 0, 0);
const at = (seconds: number) => MINUTE + seconds * 1000;

test.describe("sliding window math", () => {
  test("windows are whole minutes, and the fraction is how far into one", () => {
    expect(windowStart(at(0))).toBe(MINUTE);
    expect(windowStart(at(59.999))).toBe(MINUTE);
    expect(windowStart(at(60))).toBe(MINUTE + WINDOW_MS);
    expect(elapsedFraction(at(15))).toBe(0.25);
    expect(elapsedFraction(at(0))).toBe(0);
  });

  test("the estimate weighs the previous minute by how much of it is still within 60 seconds", () => {
    expect(estimate(40, 10, at(15))).toBe(40 * 0.75 + 10);
    expect(estimate(40, 10, at(0))).toBe(50);
    expect(estimate(0, 7, at(30))).toBe(7);
  });

  test("a call is allowed while the estimate including it stays within the limit", () => {
    expect(allows(3, 0, 3, at(10))).toBe(true);
    expect(allows(3, 0, 4, at(10))).toBe(false);
    // 4 calls late in the previous minute, 1 now, at 30 s: 4 × 0.5 + 1 = 3
    expect(allows(3, 4, 1, at(30))).toBe(true);
    expect(allows(3, 4, 2, at(30))).toBe(false);
  });

  test("retry after: the previous minute sliding out makes room within this window", () => {
    // limit 10, previous 10, current 5 at 30 s: need 10 × (1 − f) + 6 ≤ 10 → f ≥ 0.6 → 6 s more
    expect(retryAfterSeconds(10, 10, 5, at(30))).toBe(6);
    // Already room: at least one second, never zero.
    expect(retryAfterSeconds(10, 0, 3, at(30))).toBe(1);
  });

  test("retry after: a full current window waits into the next one", () => {
    // limit 3, 3 calls now at 20 s: the next window starts in 40 s, where 3 × (1 − f') + 1 ≤ 3 → f' ≥ 1/3 → +20 s
    expect(retryAfterSeconds(3, 0, 3, at(20))).toBe(60);
    // limit 1, 1 call at 50 s: 10 s to the next window, then the previous call must slide out entirely
    expect(retryAfterSeconds(1, 0, 1, at(50))).toBe(70);
    // limit 60, 60 calls at 59 s: 1 s to the next window, then 60 × (1 − f') + 1 ≤ 60 → f' ≥ 1/60 → +1 s
    expect(retryAfterSeconds(60, 0, 60, at(59))).toBe(2);
  });

  test("the retry time is when a call really is allowed again", () => {
    for (const [limit, previous, current, second] of [
      [10, 10, 5, 30],
      [3, 0, 3, 20],
      [5, 9, 2, 12],
      [100, 150, 40, 44],
    ] as const) {
      const now = at(second);
      const wait = retryAfterSeconds(limit, previous, current, now);
      const later = now + wait * 1000;
      const sameWindow = windowStart(later) === windowStart(now);
      const [p, c] = sameWindow ? [previous, current] : [current, 0];
      expect(allows(limit, p, c + 1, later), `${limit}/${previous}/${current}@${second}`).toBe(true);
      // …and a second earlier it was not (the wait is not longer than needed).
      const before = later - 1000;
      const sameBefore = windowStart(before) === windowStart(now);
      const [pb, cb] = sameBefore ? [previous, current] : [current, 0];
      if (wait > 1) expect(allows(limit, pb, cb + 1, before)).toBe(false);
    }
  });
});

test.describe("which limits apply", () => {
  const alice = randomUUID();
  const bob = randomUUID();
  const server = randomUUID();
  const call = (userId: string) => ({ userId, serverId: server, serverName: "files" });
  const rule = (
    scope: "person" | "server",
    callsPerMinute: number,
    target: { userId?: string; serverId?: string } = {},
  ) => ({
    id: randomUUID(),
    scope,
    userId: target.userId ?? null,
    serverId: target.serverId ?? null,
    callsPerMinute,
  });

  test("no rules: nothing is counted", () => {
    expect(applicableLimits([], call(alice))).toEqual([]);
  });

  test("the default applies to every person, each on their own counter", () => {
    const rules = [rule("person", 60)];
    expect(applicableLimits(rules, call(alice))).toMatchObject([
      { scope: "person", callsPerMinute: 60, bucket: `person:${alice}` },
    ]);
    expect(applicableLimits(rules, call(bob))[0]?.bucket).toBe(`person:${bob}`);
  });

  test("a person's override replaces the default for them only, on the same counter", () => {
    const override = rule("person", 500, { userId: alice });
    const rules = [rule("person", 60), override];
    expect(applicableLimits(rules, call(alice))).toEqual([
      { ruleId: override.id, scope: "person", callsPerMinute: 500, bucket: `person:${alice}` },
    ]);
    expect(applicableLimits(rules, call(bob))).toMatchObject([{ callsPerMinute: 60 }]);
  });

  test("a server limit counts everyone together, beside the person's limit", () => {
    const rules = [
      rule("person", 60),
      rule("server", 100, { serverId: server }),
      rule("server", 5, { serverId: randomUUID() }),
    ];
    expect(applicableLimits(rules, call(alice))).toMatchObject([
      { scope: "person", bucket: `person:${alice}` },
      { scope: "server", callsPerMinute: 100, bucket: `server:${server}`, serverName: "files" },
    ]);
    expect(applicableLimits(rules, call(bob))[1]?.bucket).toBe(`server:${server}`);
  });

  test("the refusal names the limit and the wait", () => {
    const [person, onServer] = applicableLimits(
      [rule("person", 60), rule("server", 1, { serverId: server })],
      call(alice),
    );
    expect(refusalMessage(person as never, 23)).toBe(
      "Rate limit reached: 60 calls per minute per person. Retry after 23 s.",
    );
    expect(refusalMessage(onServer as never, 5)).toBe(
      "Rate limit reached: 1 call per minute on files for everyone together. Retry after 5 s.",
    );
  });
});

test.describe("RESP encoding and parsing", () => {
  test("commands are arrays of bulk strings, byte lengths for UTF-8", () => {
    expect(encodeCommand(["INCR", "k:é"]).toString()).toBe("*2\r\n$4\r\nINCR\r\n$4\r\nk:é\r\n");
  });

  test("every reply type, and incomplete buffers wait for more", () => {
    const parse = (text: string) => parseReply(Buffer.from(text))?.value;
    expect(parse("+OK\r\n")).toBe("OK");
    expect(parse(":42\r\n")).toBe(42);
    expect(parse("$5\r\nhello\r\n")).toBe("hello");
    expect(parse("$-1\r\n")).toBeNull();
    expect(parse("*2\r\n$1\r\na\r\n$-1\r\n")).toEqual(["a", null]);
    expect(parse("-WRONGPASS invalid password\r\n")).toEqual(new RespError("WRONGPASS invalid password"));
    expect(parseReply(Buffer.from("$5\r\nhel"))).toBeUndefined();
    expect(parseReply(Buffer.from("*2\r\n:1\r\n"))).toBeUndefined();
    expect(parseReply(Buffer.from(":4"))).toBeUndefined();
    expect(() => parseReply(Buffer.from("?huh\r\n"))).toThrow(/does not understand/);
  });
});

test.describe("the Redis counter store against a real redis-server", () => {
  test.describe.configure({ mode: "serial" });
  let redis: TestRedis;
  let store: RedisCounterStore;

  test.beforeAll(async () => {
    redis = await startRedis(HUB_PORT + 94);
    store = new RedisCounterStore(redis.url);
  });
  test.afterAll(async () => {
    store?.client.close();
    await redis?.stop();
  });

  test("hit counts atomically under concurrency, reads the previous window, undo takes back", async () => {
    const bucket = `person:${randomUUID()}`;
    const window = windowStart(Date.now());
    await Promise.all(Array.from({ length: 3 }, () => store.hit(bucket, window - WINDOW_MS)));
    const answers = await Promise.all(Array.from({ length: 20 }, () => store.hit(bucket, window)));
    expect(answers.map((a) => a.current).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect(answers.every((a) => a.previous === 3)).toBe(true);
    await store.undo(bucket, window);
    expect((await store.peek([bucket, "server:none"], window)).get(bucket)).toEqual({
      current: 19,
      previous: 3,
    });
    expect((await store.peek(["server:none"], window)).get("server:none")).toEqual({
      current: 0,
      previous: 0,
    });
    const ttl = Number(await store.client.command("PTTL", `mcphub:ratelimit:${bucket}:${window}`));
    expect(ttl).toBeGreaterThan(2 * WINDOW_MS);
    expect(ttl).toBeLessThanOrEqual(3 * WINDOW_MS);
  });

  test("decide lets N calls through, refuses the next, and the refusal uses up nothing", async () => {
    const userId = randomUUID();
    const limits = applicableLimits(
      [{ id: "r", scope: "person", userId: null, serverId: null, callsPerMinute: 3 }],
      {
        userId,
        serverId: randomUUID(),
        serverName: "files",
      },
    );
    const now = Date.now();
    for (let i = 0; i < 3; i++) expect((await decide(limits, store, now)).allowed).toBe(true);
    const refused = await decide(limits, store, now);
    expect(refused).toMatchObject({ allowed: false, limit: { scope: "person", callsPerMinute: 3 } });
    if (refused.allowed) throw new Error("unreachable");
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(120);
    expect(refused.message).toBe(
      `Rate limit reached: 3 calls per minute per person. Retry after ${refused.retryAfterSeconds} s.`,
    );
    expect((await store.peek([`person:${userId}`], windowStart(now))).get(`person:${userId}`)?.current).toBe(
      3,
    );
  });

  test("a wrong password is refused with Redis' reason; an unreachable server fails fast", async () => {
    const wrong = new RespClient(new URL(`redis://:not-the-password@127.0.0.1:${redis.port}/0`));
    await expect(wrong.command("PING")).rejects.toThrow(/Redis refused the connection set-up: .*AUTH/);
    wrong.close();
    await redis.stop();
    const started = performance.now();
    await expect(store.hit("person:x", windowStart(Date.now()))).rejects.toThrow(/Redis/);
    // Within the retry pause the next call does not even try to connect.
    await expect(store.hit("person:x", windowStart(Date.now()))).rejects.toThrow(/unreachable/);
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});

test.describe("configuration", () => {
  const base = { NODE_ENV: "test", MCPHUB_DATA_DIR: "./data" } as NodeJS.ProcessEnv;

  test("REDIS_URL must be a redis:// or rediss:// URL", () => {
    expect(getEnv({ ...base, REDIS_URL: "redis://:pw@127.0.0.1:6379/2" }).REDIS_URL).toBe(
      "redis://:pw@127.0.0.1:6379/2",
    );
    expect(getEnv({ ...base, REDIS_URL: "rediss://cache.example:6380" }).REDIS_URL).toBe(
      "rediss://cache.example:6380",
    );
    for (const bad of ["http://127.0.0.1:6379", "127.0.0.1:6379", "redis://", "redis://a b"])
      expect(() => getEnv({ ...base, REDIS_URL: bad }), bad).toThrow(
        "Invalid configuration: REDIS_URL must be a redis:// or rediss:// URL, such as redis://127.0.0.1:6379/0",
      );
  });

  test("MCPHUB_METRICS_TOKEN must be long enough to guess at no better than a key", () => {
    expect(getEnv({ ...base, MCPHUB_METRICS_TOKEN: "x".repeat(24) }).MCPHUB_METRICS_TOKEN).toHaveLength(24);
    expect(() => getEnv({ ...base, MCPHUB_METRICS_TOKEN: "short-token" })).toThrow(
      "Invalid configuration: MCPHUB_METRICS_TOKEN must be at least 24 characters (generate one with `openssl rand -base64 32`)",
    );
  });
});
