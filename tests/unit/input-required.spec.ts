import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import {
  type InputParams,
  MAX_INPUT_ROUNDS,
  openRequestState,
  requestWithInput,
  sealRequestState,
} from "@/lib/upstream/input-required";
import type { RelayTarget } from "@/lib/upstream/relay";

// The hub's side of a 2026-07-28 upstream's input_required answers: what it asks a 2025-11-25
// session's client for, where it stops, and the seal on the requestState it hands a client.
process.env.AUTH_SECRET ??= randomBytes(32).toString("base64");
process.env.MCPHUB_SECRET_KEY ??= randomBytes(32).toString("base64");

/** A session's client that declared `capabilities` and answers every form with "yes". */
function sessionTarget(capabilities: object, asked: string[]): RelayTarget {
  return {
    userId: "u1",
    client: {
      capabilities: () => capabilities,
      send: async (request) => {
        asked.push(request.method);
        return { action: "accept", content: { answer: "yes" } };
      },
    },
    notify: async () => {},
    logLevel: () => undefined,
  };
}

const FORM = {
  method: "elicitation/create",
  params: { message: "ok?", requestedSchema: { type: "object" } },
};
const ask = (target: RelayTarget) =>
  ({ mode: "ask", serverName: "unit", target, signal: new AbortController().signal }) as const;

test("asking a session's client: answers go back with the upstream's state, roots are not offered", async () => {
  const asked: string[] = [];
  const sent: InputParams[] = [];
  const result = await requestWithInput(
    ask(sessionTarget({ elicitation: {}, roots: { listChanged: true } }, asked)),
    async (params) => {
      sent.push(params);
      if (sent.length === 1)
        return { resultType: "input_required", inputRequests: { q: FORM }, requestState: "s-1" };
      return { content: [] };
    },
  );
  expect(result).toEqual({ content: [] });
  expect(asked).toEqual(["elicitation/create"]);
  expect(sent[1]).toMatchObject({
    inputResponses: { q: { action: "accept", content: { answer: "yes" } } },
    requestState: "s-1",
  });
  // The upstream hears of elicitation, not of the roots the hub will not pass on.
  expect(sent[0]?._meta["io.modelcontextprotocol/clientCapabilities"]).toEqual({ elicitation: {} });
});

test("an upstream that asks for roots anyway, or never stops asking, is stopped with the reason", async () => {
  const asked: string[] = [];
  await expect(
    requestWithInput(ask(sessionTarget({ elicitation: {} }, asked)), async () => ({
      resultType: "input_required" as const,
      inputRequests: { where: { method: "roots/list", params: {} } },
    })),
  ).rejects.toThrow("asked for the client's roots, which MCPHub does not pass on");
  expect(asked).toEqual([]);

  let sends = 0;
  await expect(
    requestWithInput(ask(sessionTarget({ elicitation: {} }, asked)), async () => {
      sends += 1;
      return { resultType: "input_required" as const, inputRequests: { q: FORM } };
    }),
  ).rejects.toThrow(`asked for input ${MAX_INPUT_ROUNDS} times without finishing`);
  expect(sends).toBe(MAX_INPUT_ROUNDS + 1);
  expect(asked).toHaveLength(MAX_INPUT_ROUNDS);
});

test("a sealed requestState opens only for its person, method and name, unchanged and in time", () => {
  const binding = { userId: "u1", method: "tools/call", name: "srv-tool" };
  const sealed = sealRequestState("upstream-state", "server-1", binding);
  expect(openRequestState(sealed, binding)).toEqual({ serverId: "server-1", state: "upstream-state" });
  // The upstream's state is inside, not beside the seal: a client cannot swap it.
  expect(sealed).not.toContain("upstream-state");

  const integrity = "requestState failed its integrity check";
  expect(() => openRequestState(sealed, { ...binding, userId: "u2" })).toThrow(integrity);
  expect(() => openRequestState(sealed, { ...binding, method: "prompts/get" })).toThrow(integrity);
  expect(() => openRequestState(sealed, { ...binding, name: "srv-other" })).toThrow(integrity);
  expect(() => openRequestState(`${sealed}x`, binding)).toThrow(integrity);
  expect(() => openRequestState("not-ours", binding)).toThrow(integrity);

  const now = Date.now;
  try {
    Date.now = () => now() + 2 * 60 * 60_000;
    expect(() => openRequestState(sealed, binding)).toThrow("requestState has expired");
  } finally {
    Date.now = now;
  }
});
