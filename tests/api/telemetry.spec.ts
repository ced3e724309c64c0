import type { ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from "../fixtures/otlp-receiver";
import { ADMIN, HUB_PORT } from "../support/env";
import { startFixture, stopFixture } from "../support/fixtures";
import { hubClient } from "../support/hub-client";
import {
  createGroup,
  createPerson,
  createServer,
  EVERYTHING_STDIO,
  LATEST_LEGACY_VERSION,
  mcpRaw,
  rpc,
  setGroupActive,
} from "../support/mcp";
import { type SpawnedHub, spawnHub } from "../support/spawn-hub";

/*
 * OpenTelemetry traces, end to end: a hub of its own exports to a small OTLP/HTTP receiver
 * (tests/fixtures/otlp-receiver.ts) while real calls go through /api/mcp to a real stdio upstream
 * and to a remote one (tests/fixtures/servers/trace-echo.mjs) that reports the trace context it got.
 */

const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

const bootstrap = {
  MCPHUB_ADMIN_EMAIL: ADMIN.email,
  MCPHUB_ADMIN_PASSWORD: ADMIN.password,
  MCPHUB_ADMIN_API_KEY: ADMIN.apiKey,
};

test.describe.configure({ mode: "serial" });

let upstream: ChildProcess | undefined;
let upstreamUrl: string;

test.beforeAll(async () => {
  const workerInfo = test.info();
  const port = HUB_PORT + 60 + workerInfo.workerIndex;
  upstream = await startFixture("tests/fixtures/servers/trace-echo.mjs", port);
  upstreamUrl = `http://127.0.0.1:${port}/mcp`;
});

test.afterAll(async () => {
  await stopFixture(upstream);
});

async function tracedHub(receiver: OtlpReceiver, protocol: string, port: number): Promise<SpawnedHub> {
  return spawnHub({
    label: `otel-${protocol.replace("/", "-")}`,
    port,
    env: {
      ...bootstrap,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_SERVICE_NAME: "mcphub-under-test",
      // Export within a fraction of a second instead of the default five.
      OTEL_BSP_SCHEDULE_DELAY: "100",
    },
  });
}

/** Every string the receiver decoded: attribute names and values, span names, status messages. */
function exportedStrings(spans: ReceivedSpan[]): string[] {
  return spans.flatMap((span) => [
    span.name,
    span.status.message,
    ...Object.entries(span.attributes).flatMap(([name, value]) => [name, String(value)]),
    ...Object.entries(span.resource).flatMap(([name, value]) => [name, String(value)]),
  ]);
}

test("POST /api/mcp tools/call — spans over OTLP protobuf: server span, upstream child span, traceparent joins the remote upstream, no secret exported", async () => {
  test.setTimeout(120_000);
  const workerInfo = test.info();
  const receiver = await startOtlpReceiver(HUB_PORT + 70 + workerInfo.workerIndex);
  const hub = await tracedHub(receiver, "http/protobuf", HUB_PORT + 80 + workerInfo.workerIndex);
  try {
    const client = hubClient(hub.url);
    const credential = `secret-value-otel-${randomUUID()}`;
    const person = await client.personWithServers("tracer", {
      remote: {
        type: "streamable-http",
        url: upstreamUrl,
        headers: { Authorization: "Bearer ${USER_TRACE_TOKEN}" },
      },
      every: EVERYTHING_STDIO,
    });
    await client.api("PUT", "/api/v1/me/credentials/TRACE_TOKEN", { value: credential }, person.key);
    const remoteTool = `${person.servers.remote}-trace`;
    const stdioTool = `${person.servers.every}-echo`;

    // 1. The remote upstream, key in the Authorization header, no trace context from the client.
    const remote = await client.mcp(
      { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: remoteTool, arguments: {} } },
      { key: person.key, headers: { "Mcp-Protocol-Version": LATEST_LEGACY_VERSION } },
    );
    expect(remote.status).toBe(200);
    const seen = remote.message.result.structuredContent;
    expect(seen.authorization).toBe(`Bearer ${credential}`);
    const requestId = remote.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);

    const serverSpan = await receiver.waitForSpan(
      (span) => span.kind === SERVER && span.attributes["mcphub.request.id"] === requestId,
    );
    expect(serverSpan.name).toBe(`tools/call ${remoteTool}`);
    expect(serverSpan.parentSpanId).toBe("");
    expect(serverSpan.attributes).toMatchObject({
      "mcp.method.name": "tools/call",
      "gen_ai.tool.name": remoteTool,
      "gen_ai.operation.name": "execute_tool",
      "jsonrpc.request.id": "7",
      "mcp.protocol.version": LATEST_LEGACY_VERSION,
      "network.transport": "tcp",
      "user.id": person.id,
      "http.response.status_code": 200,
    });
    expect(serverSpan.attributes["error.type"]).toBeUndefined();
    expect(serverSpan.resource["service.name"]).toBe("mcphub-under-test");

    const upstreamSpan = await receiver.waitForSpan(
      (span) =>
        span.kind === CLIENT && span.parentSpanId === serverSpan.spanId && span.name === "tools/call trace",
    );
    expect(upstreamSpan.traceId).toBe(serverSpan.traceId);
    expect(upstreamSpan.attributes).toMatchObject({
      "mcp.method.name": "tools/call",
      "gen_ai.tool.name": "trace",
      "mcphub.server.name": person.servers.remote,
      "mcphub.server.transport": "streamable-http",
      "mcphub.upstream.outcome": "ok",
      "network.transport": "tcp",
      "server.address": "127.0.0.1",
    });
    // The upstream joined the trace: its traceparent (header and _meta) names the upstream span.
    expect(seen.header).toBe(`00-${serverSpan.traceId}-${upstreamSpan.spanId}-01`);
    expect(seen.meta).toBe(`00-${serverSpan.traceId}-${upstreamSpan.spanId}-01`);
    // The list call that routed it (tools/list of each upstream) is a child of the same request.
    await receiver.waitForSpan(
      (span) => span.kind === CLIENT && span.parentSpanId === serverSpan.spanId && span.name === "tools/list",
    );

    // 2. The client's own trace context in params._meta is the parent (OpenTelemetry's MCP conventions).
    const clientTrace = randomBytes(16).toString("hex");
    const clientSpan = randomBytes(8).toString("hex");
    const joined = await client.mcp(
      {
        jsonrpc: "2.0",
        id: "joined",
        method: "tools/call",
        params: {
          name: remoteTool,
          arguments: {},
          _meta: { traceparent: `00-${clientTrace}-${clientSpan}-01` },
        },
      },
      { key: person.key },
    );
    const joinedServer = await receiver.waitForSpan(
      (span) =>
        span.kind === SERVER && span.attributes["mcphub.request.id"] === joined.headers.get("x-request-id"),
    );
    expect(joinedServer.traceId).toBe(clientTrace);
    expect(joinedServer.parentSpanId).toBe(clientSpan);
    expect(joined.message.result.structuredContent.header).toMatch(
      new RegExp(`^00-${clientTrace}-[0-9a-f]{16}-01$`),
    );

    // 3. A stdio upstream, the key in ?key=, inside a session: the session id is exported hashed.
    const init = await client.mcp(
      {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: LATEST_LEGACY_VERSION,
          capabilities: {},
          clientInfo: { name: "t", version: "1" },
        },
      },
      { key: person.key, query: true },
    );
    const sessionId = init.headers.get("mcp-session-id") as string;
    expect(sessionId).toBeTruthy();
    const headers = { "Mcp-Session-Id": sessionId, "Mcp-Protocol-Version": LATEST_LEGACY_VERSION };
    await client.mcp(
      { jsonrpc: "2.0", method: "notifications/initialized" },
      { key: person.key, query: true, headers },
    );
    const echoed = await client.mcp(
      {
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { name: stdioTool, arguments: { message: "hi" } },
      },
      { key: person.key, query: true, headers },
    );
    expect(echoed.message.result.content).toEqual([{ type: "text", text: "Echo: hi" }]);
    const sessionSpan = await receiver.waitForSpan(
      (span) =>
        span.kind === SERVER && span.attributes["mcphub.request.id"] === echoed.headers.get("x-request-id"),
    );
    expect(sessionSpan.attributes["mcp.session.id"]).toMatch(/^[0-9a-f]{16}$/);
    expect(sessionSpan.attributes["mcp.session.id"]).not.toBe(sessionId);
    const stdioSpan = await receiver.waitForSpan(
      (span) => span.parentSpanId === sessionSpan.spanId && span.name === "tools/call echo",
    );
    expect(stdioSpan.attributes).toMatchObject({
      "mcphub.server.transport": "stdio",
      "network.transport": "pipe",
      "mcphub.upstream.outcome": "ok",
    });

    // 4. An unknown tool: the server span records the JSON-RPC error code and message.
    const unknown = await client.mcp(
      { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "no-such-tool", arguments: {} } },
      { key: person.key },
    );
    expect(unknown.message.error.code).toBe(-32602);
    const failed = await receiver.waitForSpan(
      (span) =>
        span.kind === SERVER && span.attributes["mcphub.request.id"] === unknown.headers.get("x-request-id"),
    );
    expect(failed.attributes).toMatchObject({ "error.type": "-32602", "rpc.response.status_code": "-32602" });
    expect(failed.status).toEqual({ code: ERROR, message: "Unknown tool: no-such-tool" });

    // A key pasted into a client-chosen string is scrubbed before export.
    const pasted = await client.mcp(
      { jsonrpc: "2.0", id: person.key, method: "tools/call", params: { name: person.key, arguments: {} } },
      { key: person.key },
    );
    await receiver.waitForSpan(
      (span) =>
        span.kind === SERVER && span.attributes["mcphub.request.id"] === pasted.headers.get("x-request-id"),
    );

    // Nothing secret left the hub: not the caller's key (header or query), not the admin's key,
    // not the credential, not an Authorization value, neither decoded nor anywhere in the raw bodies.
    const secrets = [person.key, ADMIN.apiKey, credential, `Bearer ${credential}`, sessionId];
    const exported = exportedStrings(receiver.spans);
    for (const secret of secrets) {
      expect(exported.filter((value) => value.includes(secret))).toEqual([]);
      for (const { body } of receiver.bodies) expect(body.includes(Buffer.from(secret))).toBe(false);
    }
    expect(exported.some((value) => /authorization/i.test(value))).toBe(false);
    expect(receiver.bodies.every((body) => body.contentType.startsWith("application/x-protobuf"))).toBe(true);
  } finally {
    await hub.stop();
    await receiver.close();
  }
});

test("OTEL_EXPORTER_OTLP_PROTOCOL=http/json exports the same spans as OTLP JSON", async () => {
  test.setTimeout(90_000);
  const workerInfo = test.info();
  const receiver = await startOtlpReceiver(HUB_PORT + 72 + workerInfo.workerIndex);
  const hub = await tracedHub(receiver, "http/json", HUB_PORT + 82 + workerInfo.workerIndex);
  try {
    const client = hubClient(hub.url);
    const person = await client.personWithServers("json", { every: EVERYTHING_STDIO });
    const answer = await client.mcp(
      {
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: `${person.servers.every}-echo`, arguments: { message: "json" } },
      },
      { key: person.key },
    );
    expect(answer.status).toBe(200);
    const server = await receiver.waitForSpan(
      (span) =>
        span.kind === SERVER && span.attributes["mcphub.request.id"] === answer.headers.get("x-request-id"),
    );
    const child = await receiver.waitForSpan(
      (span) => span.parentSpanId === server.spanId && span.name === "tools/call echo",
    );
    expect(child.traceId).toBe(server.traceId);
    expect(receiver.bodies.length).toBeGreaterThan(0);
    expect(receiver.bodies.every((body) => body.contentType.startsWith("application/json"))).toBe(true);
  } finally {
    await hub.stop();
    await receiver.close();
  }
});

test("without OTEL_EXPORTER_OTLP_ENDPOINT no trace context reaches an upstream", async () => {
  // The shared test hub runs without a collector: its upstream calls carry no traceparent.
  const server = await createServer("untraced", { type: "streamable-http", url: upstreamUrl, headers: {} });
  const group = await createGroup([server]);
  const person = await createPerson("untraced");
  await setGroupActive(person, group);
  const answer = await mcpRaw("/api/mcp", rpc("tools/call", { name: `${server}-trace`, arguments: {} }), {
    key: person.key,
  });
  expect(answer.message.result.structuredContent).toEqual({ header: null, meta: null, authorization: null });
  expect(answer.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
});
