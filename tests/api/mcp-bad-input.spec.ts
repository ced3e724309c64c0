import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ARTIFACTS_DIR, HUB_PORT, HUB_URL } from "../support/env";
import {
  api,
  apiOk,
  createGroup,
  createKey,
  createPerson,
  createServer,
  initializeRequest,
  inSession,
  LATEST_LEGACY_VERSION,
  MCP_ACCEPT,
  mcpRaw,
  modernMeta,
  modernRaw,
  openSession,
  personWithEverything,
  rpc,
  unknownToolError,
} from "../support/mcp";

// Each bad request is sent as a client (or an attacker) would send it, and its exact answer is
// checked: the status, the JSON-RPC error code and message, and that nothing else leaks.

const MAX_BODY_BYTES = 4 * 1024 * 1024;

function jsonRpcError(code: number, message: string, id: number | null = null) {
  return { jsonrpc: "2.0", id, error: { code, message } };
}

test.describe("bodies the endpoint refuses", () => {
  test("malformed JSON is a parse error (400, -32700)", async () => {
    const { person } = await personWithEverything("mal");
    for (const body of ['{"jsonrpc": "2.0", "id": 1, "method": ', "{oops}", ""]) {
      const answer = await mcpRaw("/api/mcp", body, { key: person.key });
      expect(answer.status).toBe(400);
      expect(answer.message).toEqual(jsonRpcError(-32700, "Parse error: the body is not valid JSON"));
    }
  });

  test("a JSON array (a batch) is refused", async () => {
    const { person } = await personWithEverything("bat");
    const answer = await mcpRaw("/api/mcp", [initializeRequest(), rpc("tools/list")], { key: person.key });
    expect(answer.status).toBe(400);
    expect(answer.message).toEqual(
      jsonRpcError(-32600, "Batch requests are not supported: send one JSON-RPC message per request"),
    );
    expect(answer.headers.get("mcp-session-id")).toBeNull();
  });

  test("a body that is not a JSON-RPC object is an invalid request", async () => {
    const { person } = await personWithEverything("nob");
    for (const body of ['"tools/list"', "42", "null", "true"]) {
      const answer = await mcpRaw("/api/mcp", body, { key: person.key });
      expect(answer.status).toBe(400);
      expect(answer.message).toEqual(
        jsonRpcError(-32600, "Invalid Request: the body must be a JSON-RPC object"),
      );
    }
    for (const body of [{}, { jsonrpc: "2.0", id: 5 }]) {
      const answer = await mcpRaw("/api/mcp", body, { key: person.key });
      expect(answer.status).toBe(400);
      expect(answer.message.error.code).toBe(-32600);
    }
  });

  test("a wrong Content-Type is 415 and a wrong Accept is 406", async () => {
    const { person } = await personWithEverything("typ");
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "application/jsonx",
      "application/json-seq",
    ]) {
      const answer = await mcpRaw("/api/mcp", initializeRequest(), {
        key: person.key,
        headers: { "Content-Type": type },
      });
      expect(answer.status).toBe(415);
      expect(answer.message).toEqual(
        jsonRpcError(-32600, "Send JSON-RPC with Content-Type: application/json"),
      );
    }
    for (const accept of ["text/html", "application/json"]) {
      const answer = await mcpRaw("/api/mcp", initializeRequest(), {
        key: person.key,
        headers: { Accept: accept },
      });
      expect(answer.status).toBe(406);
      expect(answer.message.error.code).toBe(-32000);
      expect(answer.message.error.message).toBe(
        "Not Acceptable: Client must accept both application/json and text/event-stream",
      );
      expect(answer.headers.get("mcp-session-id")).toBeNull();
    }
  });

  test("a body over 4 MB is 413, whether its length is declared or streamed; 4 MB itself is read", async () => {
    const { person } = await personWithEverything("big");
    const bodyOf = (bytes: number) => {
      const shell = JSON.stringify(rpc("tools/call", { name: "no-such-tool", arguments: { pad: "" } }));
      return shell.replace('"pad":""', `"pad":"${"x".repeat(bytes - shell.length)}"`);
    };
    const tooBig = bodyOf(MAX_BODY_BYTES + 1);
    expect(Buffer.byteLength(tooBig)).toBe(MAX_BODY_BYTES + 1);
    const declared = await mcpRaw("/api/mcp", tooBig, { key: person.key });
    expect(declared.status).toBe(413);
    expect(declared.message).toEqual(
      jsonRpcError(-32600, `The request body is larger than ${MAX_BODY_BYTES} bytes`),
    );

    // Chunked: no Content-Length to refuse early.
    const streamed = await fetch(`${HUB_URL}/api/mcp`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${person.key}`,
        "Content-Type": "application/json",
        Accept: MCP_ACCEPT,
      },
      body: new Blob([tooBig]).stream(),
      duplex: "half",
    } as RequestInit & { duplex: "half" });
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toEqual(
      jsonRpcError(-32600, `The request body is larger than ${MAX_BODY_BYTES} bytes`),
    );

    const atLimit = bodyOf(MAX_BODY_BYTES);
    expect(Buffer.byteLength(atLimit)).toBe(MAX_BODY_BYTES);
    const served = await mcpRaw("/api/mcp", atLimit, { key: person.key });
    expect(served.status).toBe(200);
    expect(served.message.error).toEqual(unknownToolError("no-such-tool"));
  });
});

/** The hub's JSON log lines (the test run's hub writes them to tests/.artifacts/hub.log). */
function hubLogLines(): Array<{ level?: number; msg?: string }> {
  return readFileSync(path.join(ARTIFACTS_DIR, "hub.log"), "utf8")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line));
}

test("a client that hangs up in the middle of its body costs nothing: the next request is served", async () => {
  const CUT_SHORT = "the client closed the connection before its request body was complete";
  const before = hubLogLines().filter((line) => line.msg === CUT_SHORT).length;
  const { person } = await personWithEverything("hangup");
  // Warm up so the front door (not Next.js) reads the body, then send half a body and hang up.
  expect((await mcpRaw("/api/mcp", rpc("tools/list"), { key: person.key })).status).toBe(200);
  for (let i = 0; i < 5; i++) {
    await new Promise<void>((resolve) => {
      const request = http.request(`${HUB_URL}/api/mcp`, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${person.key}`,
          "Content-Type": "application/json",
          Accept: MCP_ACCEPT,
          "Content-Length": "1000",
        },
      });
      request.on("error", () => resolve());
      request.write('{"jsonrpc":"2.0","id":1,"method":"tools/li');
      setTimeout(() => {
        request.destroy();
        resolve();
      }, 100);
    });
  }
  const after = await mcpRaw("/api/mcp", rpc("tools/list"), { key: person.key });
  expect(after.status).toBe(200);
  expect(after.message.result.tools.length).toBeGreaterThan(0);
  // Each hang-up is logged as the client's doing, at info level (it once read as a database outage:
  // Node reports it as an "aborted" error, and a 503 "request failed" error line followed).
  await expect
    .poll(() => hubLogLines().filter((line) => line.msg === CUT_SHORT && line.level === 30).length)
    .toBeGreaterThanOrEqual(before + 5);
});

test.describe("methods, tools and arguments", () => {
  test("an unknown method is -32601, in a session and without one", async () => {
    const { person } = await personWithEverything("met");
    const stateless = await mcpRaw("/api/mcp", { ...rpc("tools/frobnicate"), id: 41 }, { key: person.key });
    expect(stateless.status).toBe(200);
    expect(stateless.message).toEqual(jsonRpcError(-32601, "Method not found", 41));

    const sessionId = await openSession("/api/mcp", person.key);
    const inside = await inSession("/api/mcp", person.key, sessionId, {
      ...rpc("resources/frobnicate"),
      id: 42,
    });
    expect(inside.message).toEqual(jsonRpcError(-32601, "Method not found", 42));

    const modern = await modernRaw("/api/mcp", person.key, "tools/frobnicate");
    expect(modern.message.error).toEqual({ code: -32601, message: "Method not found" });
  });

  test("an unknown tool is -32602 Unknown tool, and names only what was asked", async () => {
    const { person, server } = await personWithEverything("unk");
    const sessionId = await openSession("/api/mcp", person.key);
    for (const name of ["no-such-tool", `${server}-no-such-tool`, "echo", `${server}echo`]) {
      const answer = await inSession(
        "/api/mcp",
        person.key,
        sessionId,
        rpc("tools/call", { name, arguments: { message: "x" } }),
      );
      expect(answer.status).toBe(200);
      expect(answer.message.error).toEqual(unknownToolError(name));
      expect(answer.message.result).toBeUndefined();
    }
    const modern = await modernRaw("/api/mcp", person.key, "tools/call", {
      name: "no-such-tool",
      arguments: {},
    });
    expect(modern.message.error).toEqual(unknownToolError("no-such-tool"));
  });

  test("arguments that break the tool's inputSchema come back as the upstream's isError result", async () => {
    // The 2025-11-25 specification makes input validation failures tool execution errors (isError),
    // so a model can read and correct them; the hub passes the upstream's result on unchanged.
    const { person, server } = await personWithEverything("arg");
    const sessionId = await openSession("/api/mcp", person.key);
    for (const args of [{}, { message: 42 }]) {
      const answer = await inSession(
        "/api/mcp",
        person.key,
        sessionId,
        rpc("tools/call", { name: `${server}-echo`, arguments: args }),
      );
      expect(answer.status).toBe(200);
      expect(answer.message.error).toBeUndefined();
      expect(answer.message.result.isError).toBe(true);
      const text = answer.message.result.content[0].text as string;
      expect(text).toContain("-32602");
      expect(text).toContain("Input validation error");
      expect(text).toContain("message");
    }
  });

  test("params that are not a tools/call request at all are -32602 from the hub itself", async () => {
    const { person, server } = await personWithEverything("par");
    const sessionId = await openSession("/api/mcp", person.key);
    const answer = await inSession(
      "/api/mcp",
      person.key,
      sessionId,
      rpc("tools/call", { name: 42, arguments: "message" }),
    );
    expect(answer.message.error.code).toBe(-32602);
    expect(JSON.stringify(answer.message)).not.toContain(server);
  });
});

test.describe("protocol versions", () => {
  test("initialize with an unsupported version is answered with the hub's latest", async () => {
    const { person } = await personWithEverything("ver");
    const answer = await mcpRaw("/api/mcp", initializeRequest("1999-01-01"), { key: person.key });
    expect(answer.status).toBe(200);
    expect(answer.message.result.protocolVersion).toBe(LATEST_LEGACY_VERSION);
    expect(answer.headers.get("mcp-session-id")).toBeTruthy();
  });

  test("a later request with an unsupported MCP-Protocol-Version header is 400", async () => {
    const { person } = await personWithEverything("hdr");
    const sessionId = await openSession("/api/mcp", person.key);
    const answer = await mcpRaw("/api/mcp", rpc("tools/list"), {
      key: person.key,
      sessionId,
      headers: { "Mcp-Protocol-Version": "1999-01-01" },
    });
    expect(answer.status).toBe(400);
    expect(answer.message.error.code).toBe(-32000);
    expect(answer.message.error.message).toContain("Unsupported protocol version: 1999-01-01");
  });

  test("a 2026-era request for a revision the hub does not serve is 400 -32022 with the supported list", async () => {
    const { person } = await personWithEverything("fut");
    const answer = await mcpRaw(
      "/api/mcp",
      rpc("server/discover", {
        _meta: { ...modernMeta(), "io.modelcontextprotocol/protocolVersion": "2099-01-01" },
      }),
      { key: person.key, headers: { "Mcp-Protocol-Version": "2099-01-01", "Mcp-Method": "server/discover" } },
    );
    expect(answer.status).toBe(400);
    expect(answer.message.error).toMatchObject({
      code: -32022,
      data: { supported: ["2026-07-28"], requested: "2099-01-01" },
    });
  });

  test("a 2026-07-28 request whose Mcp-Name header disagrees with its body is 400 -32020", async () => {
    const { person, server } = await personWithEverything("mis");
    const answer = await modernRaw(
      "/api/mcp",
      person.key,
      "tools/call",
      { name: `${server}-echo`, arguments: { message: "x" } },
      { "Mcp-Name": `${server}-get-sum` },
    );
    expect(answer.status).toBe(400);
    expect(answer.message.error.code).toBe(-32020);
  });
});

test.describe("sessions", () => {
  test("an unknown session id and another person's session id get the same 404", async () => {
    const { person: alice, group } = await personWithEverything("als");
    const bob = await createPerson("bos");
    await apiOk("PUT", `/api/v1/me/groups/${group}`, { key: bob.key, body: { active: true }, status: 200 });
    const alicesSession = await openSession("/api/mcp", alice.key);
    const notFound = jsonRpcError(-32001, "Session not found: initialize a new session");

    const unknown = await inSession(
      "/api/mcp",
      bob.key,
      randomBytes(24).toString("base64url"),
      rpc("tools/list"),
    );
    expect(unknown.status).toBe(404);
    expect(unknown.message).toEqual(notFound);

    const stolen = await inSession("/api/mcp", bob.key, alicesSession, rpc("tools/list"));
    expect(stolen.status).toBe(404);
    expect(stolen.message).toEqual(notFound);
    for (const method of ["GET", "DELETE"]) {
      const other = await mcpRaw("/api/mcp", undefined, { key: bob.key, sessionId: alicesSession, method });
      expect(other.status).toBe(404);
    }
    // Bob's attempts did not end or spoil Alice's session.
    const still = await inSession("/api/mcp", alice.key, alicesSession, rpc("tools/list"));
    expect(still.status).toBe(200);
    expect(still.message.result.tools.length).toBeGreaterThan(0);
  });

  test("DELETE ends a session; after it the id is unknown", async () => {
    const { person } = await personWithEverything("del");
    const sessionId = await openSession("/api/mcp", person.key);
    const ended = await mcpRaw("/api/mcp", undefined, {
      key: person.key,
      sessionId,
      method: "DELETE",
      headers: { "Mcp-Protocol-Version": LATEST_LEGACY_VERSION },
    });
    expect(ended.status).toBe(200);
    const after = await inSession("/api/mcp", person.key, sessionId, rpc("tools/list"));
    expect(after.status).toBe(404);
    expect(after.message).toEqual(jsonRpcError(-32001, "Session not found: initialize a new session"));
  });

  test("GET and DELETE without a session id are refused with 405", async () => {
    const { person } = await personWithEverything("get");
    for (const method of ["GET", "DELETE"]) {
      const answer = await mcpRaw("/api/mcp", undefined, { key: person.key, method });
      expect(answer.status).toBe(405);
      expect(answer.message.error.code).toBe(-32600);
    }
  });
});

test.describe("keys", () => {
  async function expectUnauthorized(key: string | null, reason: RegExp, via: "header" | "query" = "header") {
    const path = via === "query" && key ? `/api/mcp?key=${encodeURIComponent(key)}` : "/api/mcp";
    const answer = await mcpRaw(path, initializeRequest(), { key: via === "header" ? key : null });
    expect(answer.status).toBe(401);
    const challenge = answer.headers.get("www-authenticate") ?? "";
    expect(challenge).toMatch(/^Bearer realm="mcphub"/);
    if (key) expect(challenge).toContain('error="invalid_token"');
    else expect(challenge).toBe('Bearer realm="mcphub"');
    expect(answer.message).toEqual({
      error: "unauthorized",
      message: expect.stringMatching(reason),
      keysUrl: `${HUB_URL}/account/keys`,
    });
    expect(answer.message.message).toContain(`Create an MCPHub key at ${HUB_URL}/account/keys`);
    expect(answer.headers.get("mcp-session-id")).toBeNull();
    if (key) expect(answer.text).not.toContain(key);
  }

  test("no key, an unknown key and a malformed key are 401 with where to get a key", async () => {
    await expectUnauthorized(null, /^No MCPHub key was sent/);
    await expectUnauthorized(
      `mcphub_${randomBytes(32).toString("base64url")}`,
      /unknown, revoked or expired/,
    );
    await expectUnauthorized(`mcphub_${randomBytes(32).toString("base64url")}`, /unknown/, "query");
    await expectUnauthorized("not-a-key", /unknown, revoked or expired/);
    const basic = await mcpRaw("/api/mcp", initializeRequest(), {
      headers: { Authorization: `Basic ${Buffer.from("a:b").toString("base64")}` },
    });
    expect(basic.status).toBe(401);
  });

  test("a revoked key is 401 at once", async () => {
    const { person } = await personWithEverything("rev");
    const spare = await createKey(person, { name: "to revoke" });
    expect((await mcpRaw("/api/mcp", rpc("tools/list"), { key: spare.key })).status).toBe(200);
    await apiOk("DELETE", `/api/v1/me/keys/${spare.id}`, { key: person.key });
    await expectUnauthorized(spare.key, /unknown, revoked or expired/);
    await expectUnauthorized(spare.key, /unknown, revoked or expired/, "query");
  });

  test("an expired key is 401 from the moment it expires", async () => {
    const { person } = await personWithEverything("exp");
    const expiresAt = new Date(Date.now() + 2_500);
    const shortLived = await createKey(person, { name: "short", expiresAt: expiresAt.toISOString() });
    expect((await mcpRaw("/api/mcp", rpc("tools/list"), { key: shortLived.key })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt.getTime() - Date.now() + 100)));
    await expectUnauthorized(shortLived.key, /unknown, revoked or expired/);
  });
});

test.describe("origins and hosts", () => {
  test("a foreign Origin is 403, before the key is even looked at", async () => {
    const { person } = await personWithEverything("ori");
    for (const key of [person.key, null]) {
      const answer = await mcpRaw("/api/mcp", initializeRequest(), {
        key,
        headers: { Origin: "http://evil.example" },
      });
      expect(answer.status).toBe(403);
      expect(answer.message).toEqual(
        jsonRpcError(-32600, "Origin http://evil.example may not call this endpoint"),
      );
      expect(answer.headers.get("mcp-session-id")).toBeNull();
    }
    // The hub's own origin is fine.
    const own = await mcpRaw("/api/mcp", rpc("tools/list"), {
      key: person.key,
      headers: { Origin: HUB_URL },
    });
    expect(own.status).toBe(200);
  });

  test("a foreign Host header (DNS rebinding) is 403", async () => {
    const { person } = await personWithEverything("hst");
    const body = JSON.stringify(rpc("tools/list"));
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(
        {
          host: "127.0.0.1",
          port: HUB_PORT,
          path: "/api/mcp",
          method: "POST",
          headers: {
            Host: `rebind.evil.example:${HUB_PORT}`,
            Authorization: `Bearer ${person.key}`,
            "Content-Type": "application/json",
            Accept: MCP_ACCEPT,
            "Content-Length": Buffer.byteLength(body),
          },
        },
        (response) => {
          let text = "";
          response.on("data", (chunk) => (text += chunk));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
        },
      );
      request.on("error", reject);
      request.end(body);
    });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toEqual(
      jsonRpcError(-32600, "Host rebind.evil.example is not served here"),
    );
  });
});

test.describe("groups the caller cannot use", () => {
  test("a tool of an inactive group, or of a group the caller left, answers exactly like an unknown tool", async () => {
    const { person, server, group } = await personWithEverything("lft");
    const tool = `${server}-echo`;
    const call = (name: string) =>
      mcpRaw("/api/mcp", rpc("tools/call", { name, arguments: { message: "x" } }), {
        key: person.key,
      });
    const before = await call(tool);
    expect(before.message.result.content).toEqual([{ type: "text", text: "Echo: x" }]);

    const unknown = await call("no-such-tool");
    const shape = (answer: typeof unknown, name: string) => ({
      status: answer.status,
      contentType: answer.headers.get("content-type"),
      body: JSON.stringify({ ...answer.message, id: 0 }).replace(name, "NAME"),
    });

    await apiOk("PUT", `/api/v1/me/groups/${group}`, {
      key: person.key,
      body: { active: false },
      status: 200,
    });
    const inactive = await call(tool);
    expect(inactive.message.error).toEqual(unknownToolError(tool));
    expect(shape(inactive, tool)).toEqual(shape(unknown, "no-such-tool"));
    const listed = await mcpRaw("/api/mcp", rpc("tools/list"), { key: person.key });
    expect(listed.message.result.tools).toEqual([]);

    await apiOk("PUT", `/api/v1/me/groups/${group}`, {
      key: person.key,
      body: { active: true },
      status: 200,
    });
    expect((await call(tool)).message.result.content).toEqual([{ type: "text", text: "Echo: x" }]);

    await apiOk("DELETE", `/api/v1/me/groups/${group}`, { key: person.key });
    const left = await call(tool);
    expect(left.message.error).toEqual(unknownToolError(tool));
    expect(shape(left, tool)).toEqual(shape(unknown, "no-such-tool"));
    // The group's own endpoint is closed to a person who left.
    const groupEndpoint = await mcpRaw(`/api/mcp/${group}`, rpc("tools/list"), { key: person.key });
    expect(groupEndpoint.status).toBe(404);
  });

  test("/api/mcp/{group} of a group the caller is not in is 404, the same as a group that does not exist", async () => {
    const server = await createServer();
    const restricted = await createGroup([server], { visibility: "restricted" });
    const publicGroup = await createGroup([server]);
    const outsider = await createPerson("out");
    const missing = `no-such-group-${randomBytes(4).toString("hex")}`;
    const answerFor = async (group: string) => {
      const answer = await mcpRaw(`/api/mcp/${group}`, initializeRequest(), { key: outsider.key });
      expect(answer.status).toBe(404);
      expect(answer.headers.get("mcp-session-id")).toBeNull();
      return JSON.stringify(answer.message).replaceAll(group, "GROUP");
    };
    const forMissing = await answerFor(missing);
    expect(await answerFor(restricted)).toBe(forMissing);
    expect(await answerFor(publicGroup)).toBe(forMissing);
    expect(JSON.parse(forMissing).error.code).toBe(-32600);
    // Not through the /mcp alias either.
    expect((await mcpRaw(`/mcp/${restricted}`, rpc("tools/list"), { key: outsider.key })).status).toBe(404);
    // The admin can see that the groups exist: this is about the outsider only.
    expect((await api("GET", `/api/v1/groups/${restricted}`)).status).toBe(200);
  });
});
