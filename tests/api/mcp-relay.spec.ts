import type { ChildProcess } from "node:child_process";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { expect, test } from "@playwright/test";
import { HUB_PORT, HUB_URL, METRICS_TOKEN } from "../support/env";
import { startFixture, stopFixture } from "../support/fixtures";
import {
  createGroup,
  createPerson,
  createServer,
  MODERN_VERSION,
  mcpRaw,
  mcpUrl,
  modernMeta,
  type Person,
  rpc,
  setGroupActive,
} from "../support/mcp";

/*
 * An upstream's own requests (elicitation, sampling) and log lines reach the person whose call
 * they belong to, and nobody else: over a shared streamable-HTTP connection by the stream they
 * arrive on, over a person's own process by whose process it is. Where the hub cannot tell (a
 * shared stdio process) or the client cannot take them, the upstream is told why.
 */

const ASKING_STDIO = {
  type: "stdio",
  command: "node",
  args: ["tests/fixtures/servers/asking-server.mjs", "--stdio"],
};

let fixture: ChildProcess | undefined;
let sharedHttp: string;
let ownHttp: string;
let sharedStdio: string;
let ownProcess: string;
let group: string;
let alice: Person;
let bob: Person;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  const port = HUB_PORT + 100 + test.info().workerIndex;
  fixture = await startFixture("tests/fixtures/servers/asking-server.mjs", port);
  sharedHttp = await createServer("askhttp", {
    type: "streamable-http",
    url: `http://127.0.0.1:${port}/mcp`,
    // A short call timeout: a person taking longer than this to answer must not fail the call.
    callTimeoutMs: 1_000,
  });
  ownHttp = await createServer("askhttpown", {
    type: "streamable-http",
    url: `http://127.0.0.1:${port}/mcp`,
    isolation: "token",
  });
  sharedStdio = await createServer("askstdio", ASKING_STDIO);
  ownProcess = await createServer("askown", { ...ASKING_STDIO, isolation: "process" });
  group = await createGroup([sharedHttp, ownHttp, sharedStdio, ownProcess]);
  [alice, bob] = await Promise.all([createPerson("alice"), createPerson("bob")]);
  for (const person of [alice, bob]) await setGroupActive(person, group);
});

test.afterAll(async () => {
  await stopFixture(fixture);
});

type Seen = { method: string; params: Record<string, unknown> };

/**
 * A person's MCP client that can answer questions: it records every request and log line the hub
 * passes it and answers forms with `<name> says <the question>`.
 */
async function personClient(
  person: Person,
  name: string,
  options: {
    /** Speak the stateless 2026-07-28 revision (questions come back as input_required results). */
    modern?: boolean;
    capabilities?: ConstructorParameters<typeof Client>[1] extends infer O
      ? O extends { capabilities?: infer C }
        ? C
        : never
      : never;
    answerAfterMs?: number;
  } = {},
) {
  const seen: Seen[] = [];
  const client = new Client(
    { name: `relay-${name}`, version: "1.0.0" },
    {
      capabilities: options.capabilities ?? { elicitation: { form: {}, url: {} }, sampling: {} },
      ...(options.modern && { versionNegotiation: { mode: { pin: MODERN_VERSION } } }),
    },
  );
  const capabilities = options.capabilities ?? { elicitation: {}, sampling: {} };
  if (capabilities.elicitation)
    client.setRequestHandler("elicitation/create", async (request) => {
      seen.push({ method: request.method, params: request.params as Record<string, unknown> });
      await new Promise((resolve) => setTimeout(resolve, options.answerAfterMs ?? 0));
      if (request.params.mode === "url") return { action: "accept" };
      return { action: "accept", content: { answer: `${name} says ${request.params.message}` } };
    });
  if (capabilities.sampling)
    client.setRequestHandler("sampling/createMessage", async (request) => {
      seen.push({ method: request.method, params: request.params as Record<string, unknown> });
      return { model: `${name}-model`, role: "assistant", content: { type: "text", text: `${name} writes` } };
    });
  client.setNotificationHandler("notifications/message", (notification) => {
    seen.push({ method: notification.method, params: notification.params as Record<string, unknown> });
  });
  await client.connect(
    new StreamableHTTPClientTransport(mcpUrl("/api/mcp"), {
      requestInit: { headers: { Authorization: `Bearer ${person.key}` } },
    }),
  );
  return { client, seen };
}

function textOf(result: unknown): string {
  return ((result as { content: Array<{ text: string }> }).content[0]?.text ?? "") as string;
}

test("two people's questions over one shared streamable-HTTP connection each reach their own client only", async () => {
  const a = await personClient(alice, "alice");
  const b = await personClient(bob, "bob");
  try {
    // Interleaved: both calls are waiting on a question at the same time, on the same upstream connection.
    const rounds = Array.from({ length: 8 }, (_, i) => i);
    const results = await Promise.all(
      rounds.flatMap((i) => [
        a.client.callTool({
          name: `${sharedHttp}-question`,
          arguments: { topic: `alice-${i}`, delayMs: 30 },
        }),
        b.client.callTool({ name: `${sharedHttp}-question`, arguments: { topic: `bob-${i}`, delayMs: 30 } }),
      ]),
    );
    rounds.forEach((i) => {
      expect(textOf(results[2 * i])).toBe(
        `alice-${i}: action=accept answer=alice says question about alice-${i}`,
      );
      expect(textOf(results[2 * i + 1])).toBe(
        `bob-${i}: action=accept answer=bob says question about bob-${i}`,
      );
    });
    const asked = (seen: Seen[]) =>
      seen.filter((s) => s.method === "elicitation/create").map((s) => s.params.message);
    expect(asked(a.seen).sort()).toEqual(rounds.map((i) => `question about alice-${i}`).sort());
    expect(asked(b.seen).sort()).toEqual(rounds.map((i) => `question about bob-${i}`).sort());
  } finally {
    await Promise.all([a.client.close(), b.client.close()]);
  }
});

test("sampling goes to the caller's model, URL elicitation to a client that opens URLs", async () => {
  const a = await personClient(alice, "alice");
  try {
    const sampled = await a.client.callTool({ name: `${sharedHttp}-sample`, arguments: { topic: "haiku" } });
    expect(textOf(sampled)).toBe("haiku: model=alice-model said=alice writes");
    expect(a.seen.find((s) => s.method === "sampling/createMessage")?.params.messages).toEqual([
      { role: "user", content: { type: "text", text: "complete haiku" } },
    ]);
    const visited = await a.client.callTool({ name: `${sharedHttp}-visit`, arguments: { topic: "docs" } });
    expect(textOf(visited)).toBe("docs: action=accept");
    expect(a.seen.find((s) => s.params.mode === "url")?.params.url).toBe("https://example.test/docs");
  } finally {
    await a.client.close();
  }
});

test("log lines reach the caller at the level they chose, named by server, and nobody else", async () => {
  const a = await personClient(alice, "alice");
  const b = await personClient(bob, "bob");
  try {
    await a.client.setLoggingLevel("info");
    const result = await a.client.callTool({
      name: `${sharedHttp}-chatter`,
      arguments: { topic: "alice-log" },
    });
    expect(textOf(result)).toBe("alice-log: done");
    const logs = a.seen.filter((s) => s.method === "notifications/message").map((s) => s.params);
    expect(logs).toEqual([
      { level: "info", logger: `${sharedHttp}/chatter`, data: "alice-log at info" },
      { level: "warning", logger: `${sharedHttp}/chatter`, data: "alice-log at warning" },
    ]);
    expect(b.seen).toEqual([]);
  } finally {
    await Promise.all([a.client.close(), b.client.close()]);
  }
});

test("a question the person has not answered within the call timeout does not fail the call", async () => {
  // The server's call timeout is 1 s; the person answers after 2.5 s.
  const a = await personClient(alice, "alice", { answerAfterMs: 2_500 });
  try {
    const result = await a.client.callTool({ name: `${sharedHttp}-question`, arguments: { topic: "slow" } });
    expect(textOf(result)).toBe("slow: action=accept answer=alice says question about slow");
  } finally {
    await a.client.close();
  }
});

test("a client that cannot answer: the upstream is told which capability is missing", async () => {
  const formOnly = await personClient(alice, "alice", { capabilities: { elicitation: { form: {} } } });
  const none = await personClient(bob, "bob", { capabilities: {} });
  try {
    const visit = await formOnly.client.callTool({ name: `${sharedHttp}-visit`, arguments: { topic: "x" } });
    expect(visit.isError).toBe(true);
    expect(textOf(visit)).toContain("The person's client does not support elicitation/create (url mode)");
    const sample = await formOnly.client.callTool({
      name: `${sharedHttp}-sample`,
      arguments: { topic: "x" },
    });
    expect(textOf(sample)).toContain("does not support sampling/createMessage");
    const question = await none.client.callTool({
      name: `${sharedHttp}-question`,
      arguments: { topic: "x" },
    });
    expect(textOf(question)).toContain("does not support elicitation/create (form mode)");
    expect(formOnly.seen).toEqual([]);
    expect(none.seen).toEqual([]);
  } finally {
    await Promise.all([formOnly.client.close(), none.client.close()]);
  }
});

test("a stateless request has no stream for a question: refused with the reason", async () => {
  const answer = await mcpRaw(
    "/api/mcp",
    rpc("tools/call", { name: `${sharedHttp}-question`, arguments: { topic: "stateless" } }),
    { key: alice.key },
  );
  expect(answer.status).toBe(200);
  expect(answer.message.result.isError).toBe(true);
  expect(answer.message.result.content[0].text).toContain(
    "MCPHub cannot pass elicitation/create on to this request's client: only a request in a 2025-11-25 session, or a tools/call of a 2026-07-28 client, can carry it",
  );
});

test("a shared stdio process cannot say whose call a question is for: the hub does not offer to ask", async () => {
  const a = await personClient(alice, "alice");
  try {
    const question = await a.client.callTool({ name: `${sharedStdio}-question`, arguments: { topic: "x" } });
    expect(question.isError).toBe(true);
    // The hub declared no elicitation to this connection: a server that asks anyway gets the
    // standard answer of a client without it.
    expect(textOf(question)).toBe("refused: Method not found");
    const chatter = await a.client.callTool({ name: `${sharedStdio}-chatter`, arguments: { topic: "x" } });
    expect(textOf(chatter)).toBe("x: done");
    expect(a.seen).toEqual([]);
  } finally {
    await a.client.close();
  }
});

test("a question a shared connection's upstream sends outside the call's stream is refused; on a person's own connection it arrives", async () => {
  const a = await personClient(alice, "alice");
  try {
    const shared = await a.client.callTool({
      name: `${sharedHttp}-question_unrelated`,
      arguments: { topic: "unrelated" },
    });
    expect(shared.isError).toBe(true);
    expect(textOf(shared)).toContain(
      "MCPHub passes elicitation/create on only while a request of the person it is for is running, on that request's stream",
    );
    expect(a.seen).toEqual([]);
    const own = await a.client.callTool({
      name: `${ownHttp}-question_unrelated`,
      arguments: { topic: "mine" },
    });
    expect(textOf(own)).toBe("mine: action=accept answer=alice says question about mine");
  } finally {
    await a.client.close();
  }
});

test("a person's own process: questions and log lines reach that person", async () => {
  const a = await personClient(alice, "alice");
  const b = await personClient(bob, "bob");
  try {
    const [fromAlice, fromBob] = await Promise.all([
      a.client.callTool({ name: `${ownProcess}-question`, arguments: { topic: "alice-own" } }),
      b.client.callTool({ name: `${ownProcess}-question`, arguments: { topic: "bob-own" } }),
    ]);
    expect(textOf(fromAlice)).toBe("alice-own: action=accept answer=alice says question about alice-own");
    expect(textOf(fromBob)).toBe("bob-own: action=accept answer=bob says question about bob-own");
    await a.client.callTool({ name: `${ownProcess}-chatter`, arguments: { topic: "alice-own-log" } });
    const logs = a.seen.filter((s) => s.method === "notifications/message").map((s) => s.params.data);
    expect(logs).toEqual(["alice-own-log at debug", "alice-own-log at info", "alice-own-log at warning"]);
    expect(b.seen.map((s) => s.params.message ?? s.params.data)).toEqual(["question about bob-own"]);
  } finally {
    await Promise.all([a.client.close(), b.client.close()]);
  }
});

/** A raw 2026-07-28 tools/call as `person`, with the client capabilities in its `_meta`. */
function modernCall(
  person: Person,
  tool: string,
  args: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return mcpRaw(
    "/api/mcp",
    rpc("tools/call", {
      name: tool,
      arguments: args,
      _meta: modernMeta({ elicitation: { form: {} }, sampling: {} }),
      ...extra,
    }),
    {
      key: person.key,
      headers: { "Mcp-Protocol-Version": MODERN_VERSION, "Mcp-Method": "tools/call", "Mcp-Name": tool },
    },
  );
}

test("a 2026-07-28 client: the upstream's question comes back as input_required and the retry's answer resumes the call", async () => {
  const tool = `${sharedHttp}-question`;
  const first = await modernCall(alice, tool, { topic: "modern" });
  expect(first.status).toBe(200);
  const asked = first.message.result;
  expect(asked.resultType).toBe("input_required");
  expect(asked.inputRequests).toEqual({
    ask_1: {
      method: "elicitation/create",
      params: expect.objectContaining({ mode: "form", message: "question about modern" }),
    },
  });
  expect(typeof asked.requestState).toBe("string");

  // Someone else's retry, a tampered state and a malformed answer are refused; the call stays open.
  const asBob = await modernCall(
    bob,
    tool,
    { topic: "modern" },
    {
      inputResponses: { ask_1: { action: "accept", content: { answer: "bob" } } },
      requestState: asked.requestState,
    },
  );
  expect(asBob.message.error.code).toBe(-32602);
  expect(asBob.message.error.message).toContain("requestState failed its integrity check");
  const tampered = await modernCall(
    alice,
    tool,
    { topic: "modern" },
    {
      inputResponses: { ask_1: { action: "accept", content: { answer: "x" } } },
      requestState: `${asked.requestState}x`,
    },
  );
  expect(tampered.message.error.message).toContain("requestState failed its integrity check");
  const malformed = await modernCall(
    alice,
    tool,
    { topic: "modern" },
    {
      inputResponses: { ask_1: { action: "maybe" } },
      requestState: asked.requestState,
    },
  );
  expect(malformed.message.error.code).toBe(-32602);
  expect(malformed.message.error.message).toContain(
    "inputResponses.ask_1 is not a elicitation/create result: action",
  );

  const answered = await modernCall(
    alice,
    tool,
    { topic: "modern" },
    {
      inputResponses: { ask_1: { action: "accept", content: { answer: "from the retry" } } },
      requestState: asked.requestState,
    },
  );
  expect(answered.message.result.content[0].text).toBe("modern: action=accept answer=from the retry");

  // The call has ended: its state cannot be used again.
  const again = await modernCall(
    alice,
    tool,
    { topic: "modern" },
    {
      inputResponses: { ask_1: { action: "accept", content: { answer: "again" } } },
      requestState: asked.requestState,
    },
  );
  expect(again.message.error.message).toContain("The call these answers belong to has ended");
});

test("a 2026-07-28 client, two questions in turn: each round has its own requestState, an older one is refused", async () => {
  const tool = `${sharedHttp}-interview`;
  const answer = (text: string) => ({ action: "accept", content: { answer: text } });
  const first = (await modernCall(alice, tool, { topic: "job" })).message.result;
  expect(first.inputRequests.ask_1.params.message).toBe("question about job (1)");
  const second = (
    await modernCall(
      alice,
      tool,
      { topic: "job" },
      { inputResponses: { ask_1: answer("one") }, requestState: first.requestState },
    )
  ).message.result;
  expect(second.resultType).toBe("input_required");
  expect(Object.keys(second.inputRequests)).toEqual(["ask_2"]);
  expect(second.requestState).not.toBe(first.requestState);
  const stale = await modernCall(
    alice,
    tool,
    { topic: "job" },
    {
      inputResponses: { ask_2: answer("stale") },
      requestState: first.requestState,
    },
  );
  expect(stale.message.error.message).toContain("This requestState is from an earlier round of the call");
  // Unknown keys in inputResponses are ignored.
  const done = await modernCall(
    alice,
    tool,
    { topic: "job" },
    {
      inputResponses: { ask_2: answer("two"), extra: { action: "decline" } },
      requestState: second.requestState,
    },
  );
  expect(done.message.result.content[0].text).toBe("job: first=one second=two");
});

test("two retries of one parked call at once: one resumes it, the other is refused", async () => {
  const tool = `${sharedHttp}-question`;
  const asked = (await modernCall(alice, tool, { topic: "twice" })).message.result;
  const retry = (answer: string) =>
    modernCall(
      alice,
      tool,
      { topic: "twice" },
      {
        inputResponses: { ask_1: { action: "accept", content: { answer } } },
        requestState: asked.requestState,
      },
    );
  const answers = await Promise.all([retry("first"), retry("second")]);
  const results = answers.filter((a) => a.message.result);
  const refusals = answers.filter((a) => a.message.error);
  expect(results).toHaveLength(1);
  expect(results[0]?.message.result.content[0].text).toMatch(/^twice: action=accept answer=(first|second)$/);
  expect(refusals).toHaveLength(1);
  expect(refusals[0]?.message.error.message).toMatch(
    /Another request is already resuming this call|The call these answers belong to has ended/,
  );
});

test("a 2026-07-28 client through the SDK: questions, sampling and a person's own process", async () => {
  const a = await personClient(alice, "alice", { modern: true });
  try {
    const question = await a.client.callTool({ name: `${sharedHttp}-question`, arguments: { topic: "sdk" } });
    expect(textOf(question)).toBe("sdk: action=accept answer=alice says question about sdk");
    const sampled = await a.client.callTool({ name: `${sharedHttp}-sample`, arguments: { topic: "sdk" } });
    expect(textOf(sampled)).toBe("sdk: model=alice-model said=alice writes");
    const own = await a.client.callTool({ name: `${ownProcess}-question`, arguments: { topic: "own" } });
    expect(textOf(own)).toBe("own: action=accept answer=alice says question about own");
  } finally {
    await a.client.close();
  }
});

test("a 2026-07-28 client that did not declare what a question needs: -32021 naming the capability", async () => {
  const answer = await mcpRaw(
    "/api/mcp",
    rpc("tools/call", {
      name: `${sharedHttp}-question`,
      arguments: { topic: "nocap" },
      _meta: modernMeta({ sampling: {} }),
    }),
    {
      key: alice.key,
      headers: {
        "Mcp-Protocol-Version": MODERN_VERSION,
        "Mcp-Method": "tools/call",
        "Mcp-Name": `${sharedHttp}-question`,
      },
    },
  );
  expect(answer.message.error.code).toBe(-32021);
  expect(answer.message.error.data).toEqual({ requiredCapabilities: { elicitation: { form: {} } } });
  expect(answer.message.error.message).toContain(
    "The person's client does not support elicitation/create (form mode): declare elicitation",
  );
});

test("at most 20 of a person's calls wait for answers at once; the next question is refused, others' are not", async () => {
  const carol = await createPerson("carol");
  await setGroupActive(carol, group);
  const tool = `${sharedHttp}-question`;
  const parked = await Promise.all(
    Array.from({ length: 20 }, (_, i) => modernCall(carol, tool, { topic: `waiting-${i}` })),
  );
  for (const answer of parked) expect(answer.message.result.resultType).toBe("input_required");
  const refused = await modernCall(carol, tool, { topic: "one too many" });
  expect(refused.message.result.isError).toBe(true);
  expect(refused.message.result.content[0].text).toContain(
    "20 of this person's calls are already waiting for their answers: answer those first",
  );
  // Someone else is not held up by Carol's waiting calls.
  expect((await modernCall(bob, tool, { topic: "bob's turn" })).message.result.resultType).toBe(
    "input_required",
  );
  // Answering one makes room again.
  const first = parked[0]?.message.result;
  const done = await modernCall(
    carol,
    tool,
    { topic: "waiting-0" },
    {
      inputResponses: { ask_1: { action: "decline" } },
      requestState: first.requestState,
    },
  );
  expect(done.message.result.content[0].text).toBe("waiting-0: action=decline answer=");
  expect((await modernCall(carol, tool, { topic: "room again" })).message.result.resultType).toBe(
    "input_required",
  );
});

test("/api/metrics counts the questions by server, method and outcome", async () => {
  // The tests above asked, answered and refused questions on this server (serial, same file).
  const text = await (
    await fetch(`${HUB_URL}/api/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })
  ).text();
  const value = (method: string, outcome: string) => {
    const series = `mcphub_upstream_requests_total{server="${sharedHttp}",method="${method}",outcome="${outcome}"}`;
    return Number(
      text
        .split("\n")
        .find((line) => line.startsWith(`${series} `))
        ?.slice(series.length + 1) ?? 0,
    );
  };
  expect(value("elicitation/create", "answered")).toBeGreaterThanOrEqual(16);
  expect(value("sampling/createMessage", "answered")).toBeGreaterThanOrEqual(2);
  expect(value("elicitation/create", "unattributed")).toBe(1);
  expect(value("elicitation/create", "no_stream")).toBe(1);
  expect(value("elicitation/create", "missing_capability")).toBeGreaterThanOrEqual(3);
  // People are never labels.
  expect(text).not.toContain(alice.email);
});
