import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { expect, test } from "@playwright/test";
import {
  api,
  createGroup,
  createPerson,
  createServer,
  EVERYTHING_STDIO,
  LATEST_LEGACY_VERSION,
  MODERN_VERSION,
  mcpRaw,
  mcpUrl,
  modernMeta,
  type Person,
  rpc,
  setGroupActive,
} from "../support/mcp";

/*
 * An upstream the hub speaks 2026-07-28 to (server protocolVersion) answers with input_required
 * results of its own. A 2026-07-28 client gets them as they are (the upstream's keys), with the
 * requestState sealed to the person, the method and the name; a 2025-11-25 session's client is
 * asked by the hub itself. The fixture (tests/fixtures/servers/input-required-server.mjs) runs as
 * one stdio process shared by everyone: on this revision each question is the answer to one
 * request, so a shared pipe cannot mix people up.
 */

const PREFIX = "ir";
const tool = (name: string) => `${PREFIX}-test_input_required_result_${name}`;
const accept = (content: Record<string, unknown>) => ({ action: "accept", content });

let alice: Person;
let bob: Person;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  const server = await createServer("mrtr", {
    type: "stdio",
    command: "node",
    args: ["tests/fixtures/servers/input-required-server.mjs"],
    toolPrefix: PREFIX,
    protocolVersion: "2026-07-28",
  });
  const group = await createGroup([server]);
  [alice, bob] = await Promise.all([createPerson("alice"), createPerson("bob")]);
  for (const person of [alice, bob]) await setGroupActive(person, group);
});

/** A raw 2026-07-28 request as `person`, declaring `capabilities` in its `_meta`. */
function modern(
  person: Person,
  method: string,
  params: Record<string, unknown>,
  capabilities: object = { elicitation: { form: {} }, sampling: {}, roots: {} },
) {
  return mcpRaw("/api/mcp", rpc(method, { ...params, _meta: modernMeta(capabilities) }), {
    key: person.key,
    headers: {
      "Mcp-Protocol-Version": MODERN_VERSION,
      "Mcp-Method": method,
      ...(typeof params.name === "string" && { "Mcp-Name": params.name }),
    },
  });
}

const call = (person: Person, name: string, extra: Record<string, unknown> = {}, capabilities?: object) =>
  modern(person, "tools/call", { name, arguments: {}, ...extra }, capabilities);

test("a 2026-07-28 client gets the upstream's own questions, keys and rounds; its answers reach the upstream", async () => {
  const first = (await call(alice, tool("multi_round"))).message.result;
  expect(first.resultType).toBe("input_required");
  expect(Object.keys(first.inputRequests)).toEqual(["step1"]);
  expect(first.inputRequests.step1).toMatchObject({
    method: "elicitation/create",
    params: { message: "Step 1: What is your name?" },
  });
  // The upstream's state travels inside the hub's seal, not bare.
  expect(first.requestState).toMatch(/^mcphub1\./);

  const second = (
    await call(alice, tool("multi_round"), {
      inputResponses: { step1: accept({ name: "Alice" }) },
      requestState: first.requestState,
    })
  ).message.result;
  expect(Object.keys(second.inputRequests)).toEqual(["step2"]);
  expect(second.requestState).not.toBe(first.requestState);

  const done = (
    await call(alice, tool("multi_round"), {
      inputResponses: { step2: accept({ color: "green" }) },
      requestState: second.requestState,
    })
  ).message.result;
  expect(done.resultType ?? "complete").toBe("complete");
  expect(done.content[0].text).toBe("Alice likes green");
});

test("a sealed requestState works only for its person and tool, and unchanged", async () => {
  const asked = (await call(alice, tool("request_state"))).message.result;
  const retry = (person: Person, name: string, requestState: string) =>
    call(person, name, { inputResponses: { confirm: accept({ ok: true }) }, requestState });

  // Bob shares Alice's upstream process: only the seal keeps him from replaying her state.
  const asBob = await retry(bob, tool("request_state"), asked.requestState);
  expect(asBob.message.error).toMatchObject({ code: -32602 });
  expect(asBob.message.error.message).toContain("requestState failed its integrity check");
  const otherTool = await retry(alice, tool("tampered_state"), asked.requestState);
  expect(otherTool.message.error.message).toContain("requestState failed its integrity check");
  const [prefix, body, mac] = asked.requestState.split(".");
  const flipped = `${body.slice(0, -1)}${body.endsWith("A") ? "B" : "A"}`;
  const changed = await retry(alice, tool("request_state"), [prefix, flipped, mac].join("."));
  expect(changed.message.error.message).toContain("requestState failed its integrity check");
  const notOurs = await retry(alice, tool("request_state"), "mcphub1.e30.AAAA");
  expect(notOurs.message.error).toMatchObject({ code: -32602 });

  const answered = await retry(alice, tool("request_state"), asked.requestState);
  expect(answered.message.result.content[0].text).toBe("state-ok: confirm confirmed");
});

test("a prompt's input_required passes through too, and sampling and roots questions as asked", async () => {
  const prompt = (await modern(alice, "prompts/get", { name: `${PREFIX}-test_input_required_result_prompt` }))
    .message.result;
  expect(prompt.resultType).toBe("input_required");
  expect(Object.keys(prompt.inputRequests)).toEqual(["user_context"]);
  const filled = (
    await modern(alice, "prompts/get", {
      name: `${PREFIX}-test_input_required_result_prompt`,
      inputResponses: { user_context: accept({ context: "the hub" }) },
    })
  ).message.result;
  expect(filled.messages[0].content.text).toBe("Use this context: the hub");

  const all = (await call(alice, tool("multiple_inputs"))).message.result;
  expect(Object.keys(all.inputRequests).sort()).toEqual(["client_roots", "greeting", "user_name"]);
  expect(all.inputRequests.client_roots.method).toBe("roots/list");
  expect(all.inputRequests.greeting.method).toBe("sampling/createMessage");
});

test("the upstream sees the person's client's capabilities: it asks only what the client can answer, or -32021", async () => {
  const samplingOnly = (await call(alice, tool("capabilities"), {}, { sampling: {} })).message.result;
  expect(Object.keys(samplingOnly.inputRequests)).toEqual(["greeting"]);

  const noElicitation = await call(alice, tool("elicitation"), {}, { sampling: {} });
  expect(noElicitation.message.error).toMatchObject({ code: -32021 });
  expect(JSON.stringify(noElicitation.message.error.data)).toContain("elicitation");
});

/** A 2025-11-25 session client of `person` that answers forms with `name` and samples as `model`. */
async function sessionClient(person: Person, options: { elicitation?: boolean } = {}) {
  const asked: string[] = [];
  const client = new Client(
    { name: "mrtr-session", version: "1.0.0" },
    {
      capabilities:
        options.elicitation === false ? { sampling: {} } : { elicitation: { form: {} }, sampling: {} },
    },
  );
  if (options.elicitation !== false)
    client.setRequestHandler("elicitation/create", async (request) => {
      asked.push(String(request.params.message));
      const property = Object.keys(
        (request.params as { requestedSchema?: { properties?: object } }).requestedSchema?.properties ?? {},
      )[0];
      return { action: "accept", content: { [property ?? "value"]: `${person.email.split("@")[0]}` } };
    });
  client.setRequestHandler("sampling/createMessage", async () => {
    asked.push("sampling");
    return { model: "test-model", role: "assistant", content: { type: "text", text: "Bonjour" } };
  });
  await client.connect(
    new StreamableHTTPClientTransport(mcpUrl("/api/mcp"), {
      requestInit: { headers: { Authorization: `Bearer ${person.key}` } },
    }),
  );
  expect(client.getNegotiatedProtocolVersion()).toBe(LATEST_LEGACY_VERSION);
  return { client, asked };
}

const textOf = (result: unknown) => (result as { content: Array<{ text: string }> }).content[0]?.text;

test("a 2025-11-25 session: the hub asks the person's client itself, round by round, and the call finishes", async () => {
  const a = await sessionClient(alice);
  const b = await sessionClient(bob);
  try {
    const [aliceResult, bobResult] = await Promise.all([
      a.client.callTool({ name: tool("multi_round"), arguments: {} }),
      b.client.callTool({ name: tool("multi_round"), arguments: {} }),
    ]);
    const [aliceName, bobName] = [alice, bob].map((p) => p.email.split("@")[0]);
    expect(textOf(aliceResult)).toBe(`${aliceName} likes ${aliceName}`);
    expect(textOf(bobResult)).toBe(`${bobName} likes ${bobName}`);
    expect(a.asked).toEqual(["Step 1: What is your name?", "Step 2: What is your favorite color?"]);
    expect(b.asked).toEqual(a.asked);

    const sampled = await a.client.callTool({ name: tool("sampling"), arguments: {} });
    expect(textOf(sampled)).toBe("The model said: Bonjour");
  } finally {
    await Promise.all([a.client.close(), b.client.close()]);
  }
});

test("a session client that cannot answer, a roots question, a stateless request: an error result that says why", async () => {
  const noForms = await sessionClient(alice, { elicitation: false });
  try {
    // The upstream saw a client without elicitation and refused the call itself (-32021).
    const refused = await noForms.client.callTool({ name: tool("elicitation"), arguments: {} });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toContain("elicitation");
    expect(noForms.asked).toEqual([]);
  } finally {
    await noForms.client.close();
  }
  const a = await sessionClient(alice);
  try {
    // The client declares roots, but the hub does not pass roots on: the upstream is not told of them.
    const roots = await a.client.callTool({ name: tool("list_roots"), arguments: {} });
    expect(roots.isError).toBe(true);
    expect(textOf(roots)).toContain(
      "'client_roots' (roots/list): the request's client capabilities do not declare",
    );
  } finally {
    await a.client.close();
  }
  // A stateless 2025-11-25 request has no stream for a question.
  const stateless = await mcpRaw("/api/mcp", rpc("tools/call", { name: tool("sampling"), arguments: {} }), {
    key: alice.key,
    headers: { "Mcp-Protocol-Version": LATEST_LEGACY_VERSION },
  });
  expect(stateless.message.result.isError).toBe(true);
});

test("a 2026-07-28 SDK client answers the passed-through questions with its own handlers", async () => {
  const client = new Client(
    { name: "mrtr-modern", version: "1.0.0" },
    {
      capabilities: { elicitation: { form: {} } },
      versionNegotiation: { mode: { pin: MODERN_VERSION } },
    },
  );
  client.setRequestHandler("elicitation/create", async () => ({
    action: "accept",
    content: { name: "Sdk" },
  }));
  await client.connect(
    new StreamableHTTPClientTransport(mcpUrl("/api/mcp"), {
      requestInit: { headers: { Authorization: `Bearer ${alice.key}` } },
    }),
  );
  try {
    const result = await client.callTool({ name: tool("elicitation"), arguments: {} });
    expect(textOf(result)).toBe("Hello, Sdk!");
  } finally {
    await client.close();
  }
});

test("the upstream's list changes reach the hub over subscriptions/listen: a new tool is listed", async () => {
  const names = async () =>
    ((await modern(alice, "tools/list", {})).message.result.tools as Array<{ name: string }>).map(
      (t) => t.name,
    );
  expect(await names()).toContain(`${PREFIX}-add_tool`);
  const added = (await call(alice, `${PREFIX}-add_tool`)).message.result.content[0].text;
  // The hub's cached list is dropped when the notification arrives, not on a timer.
  await expect.poll(names, { timeout: 5_000 }).toContain(`${PREFIX}-${added}`);
  // Calls route through a catalog kept between calls: it is rebuilt from the new list at once.
  expect((await call(alice, `${PREFIX}-${added}`)).message.result.content[0].text).toBe(added);
});

test("protocolVersion: refused where it cannot apply, with the fix", async () => {
  const sse = await api("POST", "/api/v1/servers", {
    body: {
      name: `mrtr-sse-${Date.now()}`,
      type: "sse",
      url: "http://127.0.0.1:9/sse",
      protocolVersion: "2026-07-28",
    },
  });
  expect(sse.status).toBe(422);
  expect(JSON.stringify(sse.body)).toContain("use type streamable-http for a server that speaks it");
  const sseAuto = await api("POST", "/api/v1/servers", {
    body: {
      name: `mrtr-sse-auto-${Date.now()}`,
      type: "sse",
      url: "http://127.0.0.1:9/sse",
      protocolVersion: "auto",
    },
  });
  expect(sseAuto.status).toBe(422);
  expect(JSON.stringify(sseAuto.body)).toContain("use type streamable-http for a server that speaks it");
  const unknown = await api("POST", "/api/v1/servers", {
    body: {
      name: `mrtr-bad-${Date.now()}`,
      type: "stdio",
      command: "node",
      args: ["tests/fixtures/servers/input-required-server.mjs"],
      protocolVersion: "2024-11-05",
    },
  });
  expect(unknown.status).toBe(422);
  expect(JSON.stringify(unknown.body)).toContain(
    "protocolVersion must be one of 2025-11-25, 2026-07-28, auto",
  );
});

test("protocolVersion auto: 2026-07-28 with a server that offers it, 2025-11-25 with one that does not", async () => {
  const offers = await createServer("auto-modern", {
    type: "stdio",
    command: "node",
    args: ["tests/fixtures/servers/input-required-server.mjs"],
    toolPrefix: "am",
    protocolVersion: "auto",
  });
  const legacy = await createServer("auto-legacy", { ...EVERYTHING_STDIO, protocolVersion: "auto" });
  const stored = await api("GET", `/api/v1/servers/${offers}`);
  expect(stored.body.protocolVersion).toBe("auto");
  const group = await createGroup([offers, legacy]);
  const carol = await createPerson("carol");
  await setGroupActive(carol, group);
  // The upstream's own question under its own key: only a 2026-07-28 connection answers so.
  const asked = (await call(carol, "am-test_input_required_result_multi_round")).message.result;
  expect(asked.resultType).toBe("input_required");
  expect(Object.keys(asked.inputRequests)).toEqual(["step1"]);
  // server-everything (on SDK v1) does not know server/discover: the hub falls back, and its tools work.
  const echo = (await call(carol, `${legacy}-echo`, { arguments: { message: "auto" } })).message.result;
  expect(echo.content).toEqual([{ type: "text", text: "Echo: auto" }]);
  // The admin sees which revision each connection settled on (recorded with the tool listing).
  const negotiated = async (name: string) =>
    (await api("GET", `/api/v1/servers/${name}`)).body.status.protocolVersion;
  await expect.poll(() => negotiated(offers)).toBe("2026-07-28");
  await expect.poll(() => negotiated(legacy)).toBe("2025-11-25");
});
