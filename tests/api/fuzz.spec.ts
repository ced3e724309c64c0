import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ADMIN, ARTIFACTS_DIR, HUB_PORT } from "../support/env";
import { hubClient } from "../support/hub-client";
import { EVERYTHING_STDIO, LATEST_LEGACY_VERSION, MCP_ACCEPT, MODERN_VERSION } from "../support/mcp";
import { type SpawnedHub, spawnHub } from "../support/spawn-hub";

/*
 * Bad input, generated: thousands of malformed, oversized, deeply nested, wrong-typed and hostile
 * requests (JSON-RPC bodies, headers, query strings, paths, methods) to /api/mcp, /api/mcp/{group}
 * and /api/v1 on a hub of its own. Seeded (FUZZ_SEED=<n> replays a run; the seed is printed and
 * attached), bounded in count and time. Every answer must come within the deadline as a 4xx with
 * a JSON error (REST's {"error": {code, message}}, a JSON-RPC error, or the MCP 401), or a valid
 * JSON-RPC answer; a 5xx must have its cause in the hub's log; afterwards the hub's memory is
 * bounded and it still answers health and a real tools/call.
 */

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CASES = Number(process.env.FUZZ_CASES ?? 2_400);
const CONCURRENCY = 6;
const WARM_UP_CASES = 400;
const DEADLINE_MS = 15_000;
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Growth of the hub's resident memory over the run that still counts as bounded. */
const RSS_GROWTH_LIMIT_MB = 256;

/** mulberry32: small, fast and the same on every machine for one seed. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
type Random = ReturnType<typeof prng>;

type Case = {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
};

type Outcome = { case: Case; status: number; body: string; headers: http.IncomingHttpHeaders; ms: number };

const UNICODE = [
  "tools/cäll",
  "tools/\u0000call",
  "ツール/呼ぶ",
  "💥",
  "\u202etools/list",
  "\ud800",
  "tools/list\n",
];
const NASTY_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "__defineGetter__",
  "hasOwnProperty",
  "toString",
];
const METHODS = [
  "initialize",
  "ping",
  "tools/list",
  "tools/call",
  "prompts/list",
  "prompts/get",
  "resources/list",
  "resources/read",
  "resources/templates/list",
  "completion/complete",
  "logging/setLevel",
  "notifications/initialized",
  "notifications/cancelled",
  "server/discover",
  "subscriptions/listen",
  "tasks/get",
];

function randomString(r: Random, max = 40): string {
  const alphabet = "abcXYZ019-_./%?&=#:;\"'\\ \t{}[]<>é漢🙂\u0000\u0007\u2028";
  let text = "";
  const length = r.int(max);
  for (let i = 0; i < length; i++) text += alphabet[r.int(alphabet.length)];
  return text;
}

function randomValue(r: Random, depth = 0): unknown {
  const choice = r.int(depth > 3 ? 6 : 9);
  switch (choice) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick([0, -1, 1e308, -1e308, 2 ** 53 + 1, 1.5, Number.MAX_SAFE_INTEGER]);
    case 3:
      return randomString(r);
    case 4:
      return r.pick(NASTY_KEYS);
    case 5:
      return "x".repeat(r.int(5_000));
    case 6:
      return Array.from({ length: r.int(5) }, () => randomValue(r, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let i = r.int(5); i > 0; i--)
        object[r.chance(0.3) ? r.pick(NASTY_KEYS) : randomString(r, 10)] = randomValue(r, depth + 1);
      return object;
    }
  }
}

/** JSON text with a prototype-pollution key written literally (JSON.stringify would drop __proto__). */
function pollutingJson(r: Random, method: string): string {
  const key = r.pick(NASTY_KEYS);
  const where = r.int(4);
  const inner = `{"${key}": {"polluted": true, "isAdmin": true}, "name": "x", "arguments": {"${key}": {"polluted": 1}}}`;
  if (where === 0) return `{"jsonrpc":"2.0","id":1,"method":"${method}","${key}":{"polluted":true}}`;
  if (where === 1) return `{"jsonrpc":"2.0","id":1,"method":"${method}","params":${inner}}`;
  if (where === 2)
    return `{"jsonrpc":"2.0","id":1,"method":"${method}","params":{"_meta":{"${key}":{"x":1}}}}`;
  return `{"${key}":{"jsonrpc":"2.0","id":1,"method":"${method}"}}`;
}

/** Every UTF-8 byte of `text` as %XX (a lone surrogate becomes U+FFFD, as a client would send it). */
function percentEncoded(text: string): string {
  return [...Buffer.from(text, "utf8")].map((byte) => `%${byte.toString(16).padStart(2, "0")}`).join("");
}

function nested(depth: number, open: string, close: string, leaf = "1"): string {
  return open.repeat(depth) + leaf + close.repeat(depth);
}

type Context = {
  key: string;
  otherKey: string;
  group: string;
  tool: string;
  sessionId: string;
  hubPort: number;
};

function mcpBody(r: Random, ctx: Context): { kind: string; body: Buffer } {
  const method = r.chance(0.7) ? r.pick(METHODS) : r.pick(UNICODE);
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));
  switch (r.int(14)) {
    case 0: {
      const text = JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: randomValue(r) });
      return { kind: "truncated json", body: Buffer.from(text.slice(0, r.int(text.length))) };
    }
    case 1:
      return {
        kind: "random bytes",
        body: Buffer.from(Array.from({ length: r.int(512) }, () => r.int(256))),
      };
    case 2: {
      const text = JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: ctx.tool, arguments: { message: "x" } },
      });
      const at = r.int(text.length);
      const bad = r.pick([
        Buffer.from([0xff]),
        Buffer.from([0xc3]),
        Buffer.from([0xed, 0xa0, 0x80]),
        Buffer.from([0x00]),
      ]);
      return {
        kind: "invalid utf-8 / null byte",
        body: Buffer.concat([Buffer.from(text.slice(0, at)), bad, Buffer.from(text.slice(at))]),
      };
    }
    case 3:
      return {
        kind: "batch",
        body: json(
          Array.from({ length: r.int(50) }, () => ({
            jsonrpc: "2.0",
            id: r.int(1000),
            method: r.pick(METHODS),
          })),
        ),
      };
    case 4:
      return {
        kind: "huge id",
        body: Buffer.from(
          `{"jsonrpc":"2.0","id":${r.pick(["1e400", "123456789012345678901234567890", "-0", `"${"i".repeat(100_000)}"`, "{}", "[]", "true", "null"])},"method":"${method}"}`,
        ),
      };
    case 5:
      return {
        kind: "unicode method",
        body: json({ jsonrpc: "2.0", id: 2, method: r.pick(UNICODE) + randomString(r, 8) }),
      };
    case 6:
      return {
        kind: "prototype pollution",
        body: Buffer.from(pollutingJson(r, r.pick(["tools/call", "initialize", "tools/list"]))),
      };
    case 7: {
      const depth = r.pick([100, 1_000, 10_000, 100_000]);
      const body = `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"${ctx.tool}","arguments":{"message":${nested(depth, r.chance(0.5) ? "[" : '{"a":', r.chance(0.5) ? "]" : "}")}}}}`;
      return { kind: "deeply nested", body: Buffer.from(body) };
    }
    case 8:
      return {
        kind: "wrong types",
        body: json({
          jsonrpc: r.pick(["2.0", "1.0", 2, null, ["2.0"]]),
          id: randomValue(r),
          method: r.chance(0.5) ? method : randomValue(r),
          params: randomValue(r),
        }),
      };
    case 9:
      return {
        kind: "tools/call wrong params",
        body: json({
          jsonrpc: "2.0",
          id: 4,
          method: "tools/call",
          params: {
            name: r.chance(0.5) ? ctx.tool : randomValue(r),
            arguments: randomValue(r),
            _meta: randomValue(r),
          },
        }),
      };
    case 10:
      return {
        kind: "modern envelope",
        body: json({
          jsonrpc: "2.0",
          id: 5,
          method,
          params: {
            _meta: {
              "io.modelcontextprotocol/protocolVersion": r.pick([MODERN_VERSION, "2099-01-01", 42, null, ""]),
              "io.modelcontextprotocol/clientCapabilities": randomValue(r),
              "io.modelcontextprotocol/clientInfo": randomValue(r),
              traceparent: r.pick([
                "00-zz-yy-01",
                `00-${"0".repeat(32)}-${"0".repeat(16)}-01`,
                randomString(r),
              ]),
            },
          },
        }),
      };
    case 11:
      return {
        kind: "not an object",
        body: Buffer.from(r.pick(['"tools/list"', "42", "null", "true", "[]", "", " ", "\u0000", "{}"])),
      };
    case 12:
      return {
        kind: "duplicate keys",
        body: Buffer.from(
          `{"jsonrpc":"2.0","id":1,"id":"two","method":"tools/list","method":"initialize","params":{},"params":[]}`,
        ),
      };
    default:
      return {
        kind: "random json-rpc",
        body: json({ jsonrpc: "2.0", id: r.int(1e6), method, params: randomValue(r) }),
      };
  }
}

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=latin1",
  "APPLICATION/JSON",
  "text/plain",
  "multipart/form-data; boundary=x",
  "application/json, text/html",
  "",
  `application/json; ${"x=y; ".repeat(500)}`,
];
const ACCEPTS = [
  MCP_ACCEPT,
  "application/json",
  "text/event-stream",
  "*/*",
  "",
  "text/html",
  `${MCP_ACCEPT}; q=0`,
];

function mcpCase(r: Random, ctx: Context): Case {
  const path = r.chance(0.75)
    ? "/api/mcp"
    : `/api/mcp/${r.pick([ctx.group, "no-such-group", "%ff", "%zz", "%00", "..%2f..%2fapi%2fv1%2fusers", "%E2%80%AE", "a".repeat(3000), percentEncoded(randomString(r, 20)) || "x"])}`;
  const { kind, body } = mcpBody(r, ctx);
  const headers: Record<string, string> = {
    "Content-Type": r.chance(0.85) ? "application/json" : r.pick(CONTENT_TYPES),
    Accept: r.chance(0.85) ? MCP_ACCEPT : r.pick(ACCEPTS),
  };
  let query = "";
  const auth = r.int(10);
  if (auth < 7) headers.Authorization = `Bearer ${ctx.key}`;
  else if (auth === 7) query = `?key=${encodeURIComponent(ctx.key)}`;
  else if (auth === 8)
    query = r.pick([
      "?key=",
      "?key=%ff",
      "?key=%",
      `?key=${ctx.key}&key=${ctx.otherKey}`,
      `?key=mcphub_${"A".repeat(43)}`,
      "?key[]=x",
      `?${"a=1&".repeat(2_000)}`,
    ]);
  else
    headers.Authorization = r.pick([
      "Bearer",
      "Bearer ",
      "Basic Zm9vOmJhcg==",
      `Bearer ${ctx.key} extra`,
      `bearer ${ctx.otherKey}`,
      `Bearer ${"x".repeat(8_000)}`,
    ]);
  if (r.chance(0.2))
    headers["Mcp-Session-Id"] = r.pick([
      ctx.sessionId,
      "",
      "x".repeat(4_000),
      "not-a-session",
      "é漢".replace(/[^\x20-\xff]/g, "?"),
    ]);
  if (r.chance(0.2))
    headers["Mcp-Protocol-Version"] = r.pick([
      LATEST_LEGACY_VERSION,
      MODERN_VERSION,
      "1999-01-01",
      "",
      "2025-11-25, 2026-07-28",
      randomString(r).replace(/[^\x20-\x7e]/g, ""),
    ]);
  if (r.chance(0.1))
    headers.Origin = r.pick([
      "null",
      "http://evil.example",
      "http://[::1",
      "://",
      `http://localhost:${ctx.hubPort}`,
      "file://",
    ]);
  if (r.chance(0.08))
    headers.Host = r.pick([
      "evil.example",
      "",
      `localhost:${ctx.hubPort}`,
      "127.0.0.1:1",
      "[::1]",
      "a".repeat(2_000),
    ]);
  if (r.chance(0.05)) headers["Mcp-Method"] = r.pick(["tools/call", "", "x".repeat(1_000)]);
  const method = r.chance(0.9)
    ? "POST"
    : r.pick(["GET", "DELETE", "PUT", "PATCH", "OPTIONS", "HEAD", "TRACE"]);
  return {
    kind: `mcp: ${kind}`,
    method,
    path: path + query,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : body,
  };
}

const REST_PATHS = [
  "/api/v1/me",
  "/api/v1/users",
  "/api/v1/users/%ff",
  "/api/v1/users/00000000-0000-0000-0000-000000000000",
  "/api/v1/users/not-a-uuid/keys",
  "/api/v1/me/keys",
  "/api/v1/me/keys/%zz",
  "/api/v1/me/credentials/GITHUB_TOKEN",
  "/api/v1/me/credentials/%00",
  "/api/v1/me/credentials/__proto__",
  "/api/v1/me/groups",
  "/api/v1/me/groups/constructor",
  "/api/v1/servers",
  "/api/v1/servers/%ff%fe",
  "/api/v1/servers/..%2f..%2fetc%2fpasswd",
  "/api/v1/groups",
  "/api/v1/groups/x/members/y",
  "/api/v1/settings/import",
  "/api/v1/audit",
  "/api/v1/audit?limit=-1&from=yesterday&to=%ff",
  "/api/v1/no-such-route",
  "/api/worker/processes",
  "/api/worker/processes/%ff/logs",
];

function restCase(r: Random, ctx: Context): Case {
  const method = r.pick(["GET", "POST", "PUT", "PATCH", "DELETE", "POST", "PUT", "TRACE", "OPTIONS", "HEAD"]);
  const headers: Record<string, string> = {
    "Content-Type": r.chance(0.8) ? "application/json" : r.pick(CONTENT_TYPES),
  };
  const who = r.int(4);
  if (who === 0) headers.Authorization = `Bearer ${ctx.key}`;
  else if (who === 1) headers.Authorization = `Bearer ${ADMIN.apiKey}`;
  else if (who === 2) headers.Authorization = r.pick(["Bearer", "Bearer %ff", `Bearer ${"y".repeat(5_000)}`]);
  if (r.chance(0.1))
    headers.Cookie = r.pick([
      "authjs.session-token=garbage",
      "authjs.session-token=%ff",
      `a=${"b".repeat(3_000)}`,
    ]);
  let body: Buffer | undefined;
  if (method !== "GET" && method !== "HEAD") {
    const choice = r.int(6);
    if (choice === 0) body = Buffer.from(JSON.stringify(randomValue(r)));
    else if (choice === 1) body = Buffer.from(pollutingJson(r, "x"));
    else if (choice === 2) body = Buffer.from(nested(r.pick([1_000, 50_000]), "[", "]"));
    else if (choice === 3) body = Buffer.from([0xff, 0xfe, 0x00, 0x7b]);
    else if (choice === 4)
      // Only on the admin's key would a valid-looking body change anything: wrong types only.
      body = Buffer.from(
        JSON.stringify({
          email: randomValue(r),
          name: randomValue(r),
          role: r.pick(["admin", "root", 1, null]),
          value: randomValue(r),
          active: "yes",
        }),
      );
    else body = Buffer.from(`{"name": "${randomString(r, 30).replace(/["\\]/g, "")}"`);
  }
  const path =
    r.pick(REST_PATHS) + (r.chance(0.2) ? r.pick(["?key=%ff", `?key=${ctx.key}`, "?%", "?a=%E0%A4%A"]) : "");
  return { kind: "rest", method, path, headers, body };
}

/** Sends one raw request; node:http lets broken paths, odd methods and invalid UTF-8 through. */
function send(
  port: number,
  c: Case,
): Promise<Outcome | { case: Case; hang: true } | { case: Case; error: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { ...c.headers };
    if (c.body) headers["Content-Length"] = c.body.length;
    let settled = false;
    const request = http.request(
      { host: "127.0.0.1", port, method: c.method, path: c.path, headers, setHost: !("Host" in c.headers) },
      (response) => {
        const chunks: Buffer[] = [];
        // An SSE stream opened by GET with a live session stays open, silent until a notification,
        // by design: its headers are the answer.
        const listening =
          c.method === "GET" && String(response.headers["content-type"]).startsWith("text/event-stream");
        response.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
        });
        const done = () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({
            case: c,
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            headers: response.headers,
            ms: performance.now() - started,
          });
        };
        response.on("end", done);
        response.on("close", done);
        if (listening) {
          done();
          response.destroy();
        }
      },
    );
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      request.destroy();
      resolve({ case: c, hang: true });
    }, DEADLINE_MS);
    request.on("error", (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ case: c, error: error.message });
    });
    request.end(c.body);
  });
}

/** Why an answer breaks the contract, or null when it is fine. */
function problemWith(outcome: Outcome): string | null {
  const { status, body, case: c } = outcome;
  if (status >= 500) return `status ${status}`;
  if (c.method === "HEAD" || status === 204 || status === 202 || (status === 200 && c.method === "OPTIONS"))
    return null;
  // DELETE with the live session id ends the session: 200 without a body, as the transport answers.
  if (c.method === "DELETE" && status === 200 && body === "") return null;
  if (String(outcome.headers["content-type"]).startsWith("text/event-stream")) {
    const data = body.split("\n").find((line) => line.startsWith("data: "));
    if (!data) return status < 300 ? null : "an SSE error answer without a JSON-RPC message";
    return isJsonRpcAnswer(JSON.parse(data.slice(6))) ? null : "an SSE event that is not a JSON-RPC answer";
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `a ${status} answer that is not JSON: ${body.slice(0, 80)}`;
  }
  if (status >= 200 && status < 300)
    return isJsonRpcAnswer(parsed) || c.kind === "rest" ? null : "a 2xx that is not a JSON-RPC answer";
  if (status < 400) return `unexpected status ${status}`;
  return isErrorShape(parsed)
    ? null
    : `a ${status} answer without the JSON error shape: ${body.slice(0, 80)}`;
}

function isJsonRpcAnswer(value: unknown): boolean {
  const message = value as {
    jsonrpc?: unknown;
    result?: unknown;
    error?: { code?: unknown; message?: unknown };
  };
  if (message?.jsonrpc !== "2.0") return false;
  if (message.error)
    return typeof message.error.code === "number" && typeof message.error.message === "string";
  return typeof message.result === "object" && message.result !== null;
}

function isErrorShape(value: unknown): boolean {
  const rest = (value as { error?: { code?: unknown; message?: unknown } })?.error;
  if (typeof rest?.code === "string" && typeof rest.message === "string") return true;
  const mcp401 = value as { error?: unknown; message?: unknown; keysUrl?: unknown };
  if (mcp401?.error === "unauthorized" && typeof mcp401.message === "string") return true;
  return isJsonRpcAnswer(value) && Boolean((value as { error?: unknown }).error);
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  return Math.round(Number(line?.replace(/\D+/g, "") ?? 0) / 1024);
}

let hub: SpawnedHub | undefined;

test.afterAll(async () => {
  await hub?.stop();
});

test("fuzz: generated bad input to /api/mcp, /api/mcp/{group} and /api/v1 (seeded: FUZZ_SEED replays a run)", async () => {
  test.setTimeout(180_000);
  test.info().annotations.push({ type: "seed", description: `FUZZ_SEED=${SEED}` });
  console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
  hub = await spawnHub({
    label: "fuzz",
    port: HUB_PORT + 84 + test.info().workerIndex,
    env: {
      MCPHUB_ADMIN_EMAIL: ADMIN.email,
      MCPHUB_ADMIN_PASSWORD: ADMIN.password,
      MCPHUB_ADMIN_API_KEY: ADMIN.apiKey,
    },
  });
  const client = hubClient(hub.url);
  const person = await client.personWithServers("fuzz", { every: EVERYTHING_STDIO });
  const other = await client.personWithServers("other", { every: EVERYTHING_STDIO });
  const tool = `${person.servers.every}-echo`;
  const realCall = () =>
    client.mcp(
      {
        jsonrpc: "2.0",
        id: "real",
        method: "tools/call",
        params: { name: tool, arguments: { message: "still here" } },
      },
      { key: person.key },
    );
  expect((await realCall()).message.result.content).toEqual([{ type: "text", text: "Echo: still here" }]);
  const init = await client.mcp(
    {
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: {
        protocolVersion: LATEST_LEGACY_VERSION,
        capabilities: {},
        clientInfo: { name: "fuzz", version: "1" },
      },
    },
    { key: person.key },
  );
  const ctx: Context = {
    key: person.key,
    otherKey: other.key,
    group: person.group,
    tool,
    sessionId: init.headers.get("mcp-session-id") ?? "",
    hubPort: hub.port,
  };

  const r = prng(SEED);
  const cases: Case[] = Array.from({ length: CASES }, () =>
    r.chance(0.7) ? mcpCase(r, ctx) : restCase(r, ctx),
  );
  // Near and over the 4 MB limit, declared and within a valid JSON-RPC message.
  for (const size of [MAX_BODY_BYTES - 1, MAX_BODY_BYTES, MAX_BODY_BYTES + 1, MAX_BODY_BYTES + 4096]) {
    const shell = `{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"${tool}","arguments":{"message":""}}}`;
    const body = shell.replace('"message":""', `"message":"${"m".repeat(Math.max(0, size - shell.length))}"`);
    cases.push({
      kind: `mcp: oversized ${size}`,
      method: "POST",
      path: "/api/mcp",
      headers: {
        "Content-Type": "application/json",
        Accept: MCP_ACCEPT,
        Authorization: `Bearer ${person.key}`,
      },
      body: Buffer.from(body),
    });
  }
  cases.push({ kind: "mcp: TRACE", method: "TRACE", path: "/api/mcp", headers: {} });
  cases.push({
    kind: "mcp: broken percent-encoding",
    method: "POST",
    path: "/api/mcp/%ff",
    headers: { Authorization: `Bearer ${person.key}` },
    body: Buffer.from("{}"),
  });

  const started = Date.now();
  const outcomes: Awaited<ReturnType<typeof send>>[] = [];
  let next = 0;
  const runUntil = (end: number) =>
    Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < end) {
          const c = cases[next++] as Case;
          outcomes.push(await send(hub?.port as number, c));
        }
      }),
    );
  // The first cases warm the hub up (routes compiled on first use, caches, JIT): memory is
  // measured from there, so what grows is what the bad input left behind.
  await runUntil(WARM_UP_CASES);
  const rssBefore = rssMb(hub.pid);
  await runUntil(cases.length);
  const seconds = (Date.now() - started) / 1000;
  const rssAfter = rssMb(hub.pid);

  const answered = outcomes.filter((o): o is Outcome => "status" in o);
  const hangs = outcomes.filter((o) => "hang" in o);
  const errors = outcomes.filter((o): o is { case: Case; error: string } => "error" in o);
  const byStatus: Record<string, number> = {};
  for (const o of answered) byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
  const problems = answered.map((o) => ({ o, problem: problemWith(o) })).filter((p) => p.problem !== null);
  const log = hub.log().join("\n");
  const unexplained5xx = answered
    .filter((o) => o.status >= 500)
    .filter((o) => {
      const id = o.headers["x-request-id"];
      return (
        !id || !log.split("\n").some((line) => line.includes(`"requestId":"${id}"`) && /"err":/.test(line))
      );
    });
  const summary = {
    seed: SEED,
    requests: outcomes.length,
    seconds,
    byStatus,
    hangs: hangs.length,
    connectionErrors: errors.length,
    contractProblems: problems.length,
    unexplained5xx: unexplained5xx.length,
    rssMb: { before: rssBefore, after: rssAfter },
    slowestMs: Math.round(Math.max(...answered.map((o) => o.ms))),
  };
  console.log(`fuzz summary ${JSON.stringify(summary)}`);
  const show = (c: Case) =>
    `${c.kind}: ${c.method} ${c.path.slice(0, 120)} ${JSON.stringify(c.headers).slice(0, 200)} body ${c.body?.subarray(0, 120).toString("utf8") ?? "-"}`;
  const report = [
    ...hangs.map((o) => `hang: ${show(o.case)}`),
    ...errors.map((o) => `connection error ${o.error}: ${show(o.case)}`),
    ...problems.map(({ o, problem }) => `${problem}: ${show(o.case)}`),
    ...unexplained5xx.map((o) => `5xx without a logged cause: ${show(o.case)}`),
  ];
  writeFileSync(
    path.join(ARTIFACTS_DIR, "fuzz-report.json"),
    JSON.stringify({ summary, findings: report }, null, 2),
  );
  expect(report.slice(0, 20), `seed ${SEED}: ${report.length} findings`).toEqual([]);

  // Bounded memory: the hub grew by less than the limit over thousands of bad requests.
  expect(rssAfter - rssBefore, `seed ${SEED}: RSS ${rssBefore} → ${rssAfter} MB`).toBeLessThan(
    RSS_GROWTH_LIMIT_MB,
  );
  // Still serving: health and a real tools/call through the real upstream.
  const health = await fetch(`${hub.url}/api/health`);
  expect(health.status).toBe(200);
  expect((await realCall()).message.result.content).toEqual([{ type: "text", text: "Echo: still here" }]);
  // No key the fuzzer sent, in a header or a query, reached the hub's log.
  for (const key of [person.key, other.key, ADMIN.apiKey])
    expect(log.includes(key), "a key in the log").toBe(false);
});
