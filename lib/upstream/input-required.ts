import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import {
  CLIENT_CAPABILITIES_META_KEY,
  type Client,
  type ClientCapabilities,
  LOG_LEVEL_META_KEY,
  ProtocolError,
  ProtocolErrorCode,
} from "@modelcontextprotocol/client";
import { resolveSecrets } from "@/lib/config/secrets";
import { processWide } from "@/lib/process-wide";
import { speaksModern } from "./era";
import { askPerson, type CallRelay, type LogLevel, type RelayTarget, relayed } from "./relay";

/** How many rounds of questions the hub answers for one request before it gives up (a loop guard). */
export const MAX_INPUT_ROUNDS = 8;
/** How long a requestState the hub handed out stays valid. */
const STATE_LIFETIME_MS = 60 * 60_000;
const STATE_PREFIX = "mcphub1.";

type InputRequest = { method: string; params?: Record<string, unknown> };

/** A 2026-07-28 upstream's answer that asks for input before it can finish. */
export type UpstreamInputRequired = {
  resultType: "input_required";
  inputRequests: Record<string, InputRequest>;
  requestState?: string;
  _meta?: Record<string, unknown>;
};

export function isInputRequired(result: unknown): result is UpstreamInputRequired {
  return (
    typeof result === "object" &&
    result !== null &&
    (result as { resultType?: unknown }).resultType === "input_required"
  );
}

/**
 * What a request to a 2026-07-28 upstream does with an `input_required` answer:
 * - `pass`: the caller is a 2026-07-28 client; the answer goes to it unchanged but for the sealed
 *   requestState, and its retry brings `inputResponses` and the state back;
 * - `ask`: the hub asks the person's client itself (a 2025-11-25 session, through the relay's rules:
 *   declared capabilities, one person's stream) and sends the upstream the answers, round by round.
 */
export type InputHandling =
  | {
      mode: "pass";
      capabilities: ClientCapabilities | undefined;
      logLevel: LogLevel | undefined;
      inputResponses?: Record<string, unknown>;
      /** The upstream's own requestState, already opened (openRequestState). */
      requestState?: string;
    }
  | { mode: "ask"; serverName: string; target: RelayTarget; signal: AbortSignal };

/** A 2026-07-28 client's part in an upstream's `input_required` exchange. */
export type PassedInput = {
  capabilities: ClientCapabilities | undefined;
  logLevel: LogLevel | undefined;
  inputResponses?: Record<string, unknown>;
  /** The requestState of the retry, as the hub sealed it. */
  requestState?: string;
};

/** The upstream connection a request goes to, and whose request it is. */
export type UpstreamRequest = {
  client: Client;
  relay: CallRelay | undefined;
  server: { id: string; name: string };
  /** Where the upstream's questions and log lines go (the relay's rules). */
  target: RelayTarget;
  /** Cancels the request, and any question the hub asks for it. */
  signal: AbortSignal;
  /** What a requestState handed out for it is sealed to. */
  binding: StateBinding;
  /** Set when the person's client speaks 2026-07-28: an input_required answer goes to it. */
  passInput?: PassedInput;
};

/**
 * Sends one request that may need the person's input (tools/call, prompts/get, resources/read) to
 * an upstream connection. On 2025-11-25 the upstream asks with requests of its own, which the
 * connection's relay passes on. On 2026-07-28 it answers `input_required`: a 2026-07-28 client gets
 * that answer with its requestState sealed (and its retry's state is opened and checked here); for
 * anyone else the hub asks the person's client itself and sends the answers back (requestWithInput).
 * `send` makes the request with `params` added and `allowInputRequired` set when asked to.
 */
export async function requestUpstream<R>(
  upstream: UpstreamRequest,
  send: (params: InputParams | undefined, allowInputRequired: boolean) => Promise<R | UpstreamInputRequired>,
): Promise<R | UpstreamInputRequired> {
  const { client, relay, server, target, binding, passInput } = upstream;
  const upstreamState = openPassedState(passInput, binding, server);
  if (!speaksModern(client)) {
    if (upstreamState !== undefined)
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `${server.name} no longer speaks 2026-07-28, so this requestState cannot be answered: send the request again without requestState and inputResponses`,
      );
    return relayed(relay, target, () => send(undefined, false));
  }
  const handling: InputHandling = passInput
    ? { mode: "pass", ...passInput, requestState: upstreamState }
    : { mode: "ask", serverName: server.name, target, signal: upstream.signal };
  const result = await relayed(relay, target, () =>
    requestWithInput(handling, (params) => send(params, true)),
  );
  if (!isInputRequired(result) || result.requestState === undefined) return result;
  return { ...result, requestState: sealRequestState(result.requestState, server.id, binding) };
}

/**
 * The upstream requestState a 2026-07-28 retry carries, opened and checked against the server the
 * name routes to now; undefined for a first request.
 */
function openPassedState(
  passInput: PassedInput | undefined,
  binding: StateBinding,
  server: { id: string },
): string | undefined {
  if (passInput?.requestState === undefined) return undefined;
  const opened = openRequestState(passInput.requestState, binding);
  if (opened.serverId !== server.id)
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      `${binding.name} is served by another server since this requestState was issued: send the request again without requestState and inputResponses`,
    );
  return opened.state;
}

/** What one request to the upstream carries besides its own parameters. */
export type InputParams = {
  _meta: Record<string, unknown>;
  inputResponses?: Record<string, unknown>;
  requestState?: string;
};

/**
 * Sends a request to a 2026-07-28 upstream (`send` adds `params` to the request's own and passes
 * `allowInputRequired`) and handles an `input_required` answer as `handling` says. The upstream
 * sees the person's client's capabilities, not the hub's, so it asks only what the client can
 * answer (or answers -32021 itself).
 */
export async function requestWithInput<R>(
  handling: InputHandling,
  send: (params: InputParams) => Promise<R | UpstreamInputRequired>,
): Promise<R | UpstreamInputRequired> {
  if (handling.mode === "pass")
    return send({
      _meta: envelopeOf(handling.capabilities, handling.logLevel),
      ...(handling.inputResponses && { inputResponses: handling.inputResponses }),
      ...(handling.requestState !== undefined && { requestState: handling.requestState }),
    });
  const { target, signal, serverName } = handling;
  // The hub does not pass a client's roots on (decision 0015), so the upstream is not told of them.
  const { roots: _roots, ...capabilities } = target.client?.capabilities() ?? {};
  const meta = envelopeOf(capabilities, target.logLevel());
  let params: InputParams = { _meta: meta };
  for (let round = 1; ; round++) {
    const result = await send(params);
    if (!isInputRequired(result)) return result;
    if (round > MAX_INPUT_ROUNDS)
      throw new ProtocolError(
        ProtocolErrorCode.InternalError,
        `the server asked for input ${MAX_INPUT_ROUNDS} times without finishing; MCPHub stopped the request`,
      );
    const inputResponses: Record<string, unknown> = {};
    for (const [key, request] of Object.entries(result.inputRequests ?? {})) {
      if (request.method === "roots/list")
        throw new ProtocolError(
          ProtocolErrorCode.InvalidRequest,
          "the server asked for the client's roots, which MCPHub does not pass on (they are folders on the person's machine, out of an upstream's reach)",
        );
      inputResponses[key] = await askPerson(serverName, target, request, signal);
    }
    params = {
      _meta: meta,
      inputResponses,
      ...(result.requestState !== undefined && { requestState: result.requestState }),
    };
  }
}

function envelopeOf(
  capabilities: ClientCapabilities | undefined,
  logLevel: LogLevel | undefined,
): Record<string, unknown> {
  return {
    [CLIENT_CAPABILITIES_META_KEY]: capabilities ?? {},
    ...(logLevel && { [LOG_LEVEL_META_KEY]: logLevel }),
  };
}

/** What a requestState the hub hands out is bound to. */
export type StateBinding = { userId: string; method: string; name: string };

/**
 * Keyed from the hub's secret, so every instance opens the states any instance sealed. Derived on
 * first use: the secret is resolved when the hub serves, not when a build loads this module.
 */
const stateKey = () =>
  processWide("upstreamStateKey", () =>
    Buffer.from(hkdfSync("sha256", resolveSecrets().secretKey, "mcphub", "upstream requestState v1", 32)),
  );

function mac(body: string, binding: StateBinding): string {
  return createHmac("sha256", stateKey())
    .update(`${binding.userId}\n${binding.method}\n${binding.name}\n${body}`)
    .digest("base64url");
}

/**
 * Wraps an upstream's requestState for the client: it names the server and expires, and is sealed
 * (HMAC) to the person, the method and the tool, prompt or resource. A shared connection's upstream
 * cannot tell people apart, so without the seal one person could replay another's state.
 */
export function sealRequestState(state: string, serverId: string, binding: StateBinding): string {
  const body = Buffer.from(
    JSON.stringify({ s: serverId, st: state, exp: Date.now() + STATE_LIFETIME_MS }),
  ).toString("base64url");
  return `${STATE_PREFIX}${body}.${mac(body, binding)}`;
}

/** Whether a requestState is one sealRequestState made (others belong to parked calls). */
export function isSealedRequestState(state: string): boolean {
  return state.startsWith(STATE_PREFIX);
}

const stateBody = (text: string) => {
  const parsed: unknown = JSON.parse(text);
  if (
    typeof parsed !== "object" ||
    parsed === null ||
    typeof (parsed as { s?: unknown }).s !== "string" ||
    typeof (parsed as { st?: unknown }).st !== "string" ||
    typeof (parsed as { exp?: unknown }).exp !== "number"
  )
    throw new Error("malformed");
  return parsed as { s: string; st: string; exp: number };
};

/**
 * The server and upstream state a sealed requestState carries, for this person, method and name.
 * A state that fails its seal, is damaged or expired is refused with what to do.
 */
export function openRequestState(sealed: string, binding: StateBinding): { serverId: string; state: string } {
  const [body = "", seal = ""] = sealed.slice(STATE_PREFIX.length).split(".");
  const expected = Buffer.from(mac(body, binding));
  const given = Buffer.from(seal);
  if (!isSealedRequestState(sealed) || given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      "requestState failed its integrity check: send the request again without requestState and inputResponses",
    );
  const opened = stateBody(Buffer.from(body, "base64url").toString("utf8"));
  if (opened.exp < Date.now())
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      "requestState has expired: send the request again without requestState and inputResponses",
    );
  return { serverId: opened.s, state: opened.st };
}
