import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ARTIFACTS_DIR, HUB_URL } from "../support/env";
import {
  createPerson,
  initializeRequest,
  MCP_ACCEPT,
  mcpRaw,
  personWithEverything,
  rpc,
} from "../support/mcp";

/*
 * Every MCP and REST answer carries X-Request-Id, and the lines the hub logs about that request
 * carry the same id (and, for MCP, the method): a person can quote the id and an admin finds the
 * lines. Keys sent in `?key=` or `Authorization` appear in no line.
 */

const LOG_FILE = path.join(ARTIFACTS_DIR, "hub.log");
type LogLine = Record<string, unknown>;

function logLines(): LogLine[] {
  return readFileSync(LOG_FILE, "utf8")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogLine);
}

/** The hub's log lines about one request, once at least one has been written. */
async function linesFor(requestId: string): Promise<LogLine[]> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const lines = logLines().filter((line) => line.requestId === requestId);
    if (lines.length > 0) return lines;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`No log line with requestId ${requestId} in ${LOG_FILE}`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test("POST /api/mcp — X-Request-Id on the answer, the same id and the MCP method on the hub's log lines, no key in the log", async () => {
  const { person } = await personWithEverything("rid");
  const viaHeader = await mcpRaw("/api/mcp", rpc("tools/call", { name: "no-such-tool", arguments: {} }), {
    key: person.key,
    // A client's own id is not taken: ids stay unique and cannot be forged into someone's log.
    headers: { "X-Request-Id": "client-chosen" },
  });
  const viaQuery = await fetch(`${HUB_URL}/api/mcp?key=${encodeURIComponent(person.key)}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: MCP_ACCEPT },
    body: JSON.stringify(rpc("tools/call", { name: "no-such-tool", arguments: {} })),
  });
  expect(viaQuery.status).toBe(200);
  const ids = [viaHeader.headers.get("x-request-id"), viaQuery.headers.get("x-request-id")];
  for (const id of ids) expect(id).toMatch(UUID);
  expect(ids[0]).not.toBe(ids[1]);

  for (const id of ids) {
    const lines = await linesFor(id as string);
    for (const line of lines) expect(line).toMatchObject({ requestId: id, mcpMethod: "tools/call" });
    expect(lines.find((line) => line.msg === "request refused")).toMatchObject({
      path: "/api/mcp",
      status: 200,
      errorType: "-32602",
    });
  }

  // A key that is not known, in the query and in the header: refused, logged by id, never quoted.
  const unknownKey = `mcphub_${"Z".repeat(43)}`;
  for (const options of [{ query: true }, { query: false }]) {
    const response = await fetch(`${HUB_URL}/api/mcp${options.query ? `?key=${unknownKey}` : ""}`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: MCP_ACCEPT,
        ...(!options.query && { Authorization: `Bearer ${unknownKey}` }),
      },
      body: JSON.stringify(initializeRequest()),
    });
    expect(response.status).toBe(401);
    const [line] = await linesFor(response.headers.get("x-request-id") as string);
    expect(line).toMatchObject({ status: 401, path: "/api/mcp" });
  }

  const log = readFileSync(LOG_FILE, "utf8");
  for (const key of [person.key, unknownKey]) expect(log.includes(key)).toBe(false);
  expect(log.includes("?key=")).toBe(false);
});

test("REST /api/v1 — X-Request-Id on success and refusal, the refusal logged with the same id", async () => {
  const person = await createPerson("rest");
  const me = await fetch(`${HUB_URL}/api/v1/me`, { headers: { Authorization: `Bearer ${person.key}` } });
  expect(me.status).toBe(200);
  expect(me.headers.get("x-request-id")).toMatch(UUID);

  const forbidden = await fetch(`${HUB_URL}/api/v1/users`, {
    headers: { Authorization: `Bearer ${person.key}` },
  });
  expect(forbidden.status).toBe(403);
  const id = forbidden.headers.get("x-request-id") as string;
  expect(id).toMatch(UUID);
  const [line] = await linesFor(id);
  expect(line).toMatchObject({ requestId: id, status: 403, path: "/api/v1/users", method: "GET" });
  expect(line?.mcpMethod).toBeUndefined();

  const missing = await fetch(`${HUB_URL}/api/v1/no-such-route?key=${person.key}`);
  expect(missing.status).toBe(404);
  const [notFound] = await linesFor(missing.headers.get("x-request-id") as string);
  expect(notFound).toMatchObject({ status: 404, path: "/api/v1/no-such-route" });
  expect(readFileSync(LOG_FILE, "utf8").includes(person.key)).toBe(false);
});
