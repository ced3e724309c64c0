import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import {
  type CallToolResult,
  type ClientCapabilities,
  type InputRequiredResult,
  inputRequired,
  MissingRequiredClientCapabilityError,
  ProtocolError,
  ProtocolErrorCode,
} from "@modelcontextprotocol/server";
import { z } from "zod";
import { processWide } from "@/lib/process-wide";
import type { LogLevel, RelayTarget } from "@/lib/upstream/relay";

/** How long a finished call's result waits for the retry that collects it. */
const KEPT_AFTER_END_MS = 60_000;
/**
 * How many of one person's calls may wait for their answers at once: each holds an upstream call
 * (and perhaps a process) for up to the question's 10 minutes.
 */
export const MAX_PARKED_PER_PERSON = 20;

type Message = { method: string; params?: Record<string, unknown> };

/** The request of one round: the first tools/call, then each retry that carries answers. */
export type Round = {
  notify: (notification: Message) => Promise<void>;
  signal: AbortSignal;
  /** What the client declared in this request's `_meta`. */
  capabilities: ClientCapabilities | undefined;
  progressToken: string | number | undefined;
  /** The request's `_meta` log level: 2026-07-28 sends log lines only to a request that set one. */
  logLevel: LogLevel | undefined;
};

type OpenQuestion = { request: Message; answer: (result: unknown) => void };

/** Parked calls by id, while a question is open or a finished call's result is uncollected. */
const parkedCalls = processWide("parkedCalls", () => new Map<string, ParkedCall>());
/** Seals requestState; parked calls live in this process, so a key of this process is enough. */
const stateKey = processWide("parkedCallStateKey", () => randomBytes(32));

/**
 * A 2026-07-28 client has no stream for a request from the server: where an upstream asks a question
 * during a call (elicitation, sampling, as a 2025-11-25 server does), the hub answers the client's
 * tools/call with an `input_required` result that carries the question, keeps the upstream call
 * running, and passes the answers of the client's retry on to the upstream. The retry finds the
 * call by its sealed `requestState`, on this instance only.
 */
export class ParkedCall {
  readonly id = randomUUID();
  private readonly open = new Map<string, OpenQuestion>();
  private asked = 0;
  /** Counts the input_required answers given: each round's requestState names its round, so an older one is refused. */
  private rounds = 0;
  private outcome: Promise<CallToolResult | InputRequiredResult> | undefined;
  private ended = false;
  private wake: (() => void) | undefined;
  /** A round is being served: one request at a time resumes a call. */
  private serving = false;
  private round: Round;
  private readonly abortController = new AbortController();
  /** Progress notifications still being written to the round's client (waited for before its answer). */
  private readonly writing = new Set<Promise<void>>();
  /** Set when the upstream asked for something the client did not declare: the round answers -32021. */
  private missing: MissingRequiredClientCapabilityError | undefined;

  constructor(
    readonly userId: string,
    readonly tool: string,
    first: Round,
  ) {
    this.round = first;
  }

  /** Whether the upstream call has ended (its result may still wait for the retry that collects it). */
  get finished(): boolean {
    return this.ended;
  }

  /** Aborts the upstream call when the client of the round being served goes away. */
  get signal(): AbortSignal {
    return this.abortController.signal;
  }

  /** Where the relay sends the upstream's questions and log lines for this call. */
  target(userId: string): RelayTarget {
    return {
      userId,
      logLevel: () => this.round.logLevel,
      client: {
        capabilities: () => this.round.capabilities,
        send: (request, options) => this.ask(request, options),
        lacks: (required, message) => {
          // 2026-07-28: a request that needs a capability the client did not declare is answered
          // with -32021 naming it, so the client can declare it and call again; the call ends.
          this.missing = new MissingRequiredClientCapabilityError(
            { requiredCapabilities: required },
            `${message}: declare ${Object.keys(required).join(", ")} in the request's client capabilities and call again`,
          );
          this.abortController.abort(this.missing);
          this.wake?.();
        },
      },
      notify: async (notification) => {
        if (notification.method === "notifications/message" && this.round.logLevel === undefined) return;
        await this.round.notify(notification);
      },
    };
  }

  /** Sends the upstream's progress to the client of the round being served, with its token. */
  progress(progress: { progress: number; total?: number; message?: string }): void {
    const progressToken = this.round.progressToken;
    if (progressToken === undefined) return;
    const sent = this.round
      .notify({ method: "notifications/progress", params: { ...progress, progressToken } })
      .catch(() => {});
    this.writing.add(sent);
    void sent.finally(() => this.writing.delete(sent));
  }

  start(outcome: Promise<CallToolResult | InputRequiredResult>): void {
    this.outcome = outcome;
    const end = () => {
      this.ended = true;
      this.wake?.();
      // A parked call's result is kept a while for the retry that collects it.
      if (parkedCalls.get(this.id) === this)
        setTimeout(() => parkedCalls.delete(this.id), KEPT_AFTER_END_MS).unref();
    };
    outcome.then(end, end);
  }

  private ask(request: Message, options: { signal: AbortSignal; timeout: number }): Promise<unknown> {
    if (!parkedCalls.has(this.id)) {
      const waiting = [...parkedCalls.values()].filter(
        (call) => call.userId === this.userId && !call.finished,
      );
      if (waiting.length >= MAX_PARKED_PER_PERSON)
        return Promise.reject(
          new ProtocolError(
            ProtocolErrorCode.InvalidRequest,
            `${MAX_PARKED_PER_PERSON} of this person's calls are already waiting for their answers: answer those first`,
          ),
        );
      parkedCalls.set(this.id, this);
    }
    this.asked += 1;
    const key = `${request.method === "sampling/createMessage" ? "sample" : "ask"}_${this.asked}`;
    return new Promise((resolve, reject) => {
      const close = () => {
        clearTimeout(timer);
        this.open.delete(key);
        options.signal.removeEventListener("abort", onAbort);
      };
      const timer = setTimeout(() => {
        close();
        reject(
          new ProtocolError(
            ProtocolErrorCode.InternalError,
            `the person did not answer within ${Math.round(options.timeout / 1000)} s`,
          ),
        );
      }, options.timeout);
      const onAbort = () => {
        close();
        reject(options.signal.reason);
      };
      options.signal.addEventListener("abort", onAbort, { once: true });
      this.open.set(key, {
        request: asInputRequest(request),
        answer: (result) => {
          close();
          resolve(result);
        },
      });
      this.wake?.();
    });
  }

  /** A retry: its answers go to the upstream, then it is served like the first request. */
  resume(responses: Record<string, unknown>, round: Round): Promise<CallToolResult | InputRequiredResult> {
    if (this.serving)
      throw new ProtocolError(
        ProtocolErrorCode.InvalidRequest,
        "Another request is already resuming this call: wait for its answer",
      );
    this.answer(responses);
    return this.nextRound(round);
  }

  /**
   * Passes the retry's answers to the questions they answer. Unknown keys are ignored; an answer
   * of the wrong shape is refused before any is passed on, naming the key.
   */
  private answer(responses: Record<string, unknown>): void {
    const answered = Object.entries(responses).flatMap(([key, value]) => {
      const question = this.open.get(key);
      return question ? [{ key, question, value }] : [];
    });
    for (const { key, question, value } of answered) checkAnswer(key, question.request.method, value);
    for (const { question, value } of answered) question.answer(value);
  }

  /** Serves one round: the call's result when it ends, or its open questions when there are any. */
  async nextRound(round: Round): Promise<CallToolResult | InputRequiredResult> {
    this.serving = true;
    this.round = round;
    const onAbort = () => this.abortController.abort(round.signal.reason);
    round.signal.addEventListener("abort", onAbort, { once: true });
    try {
      for (;;) {
        if (this.missing) {
          parkedCalls.delete(this.id);
          throw this.missing;
        }
        if (this.ended && this.outcome) {
          parkedCalls.delete(this.id);
          const result = await this.outcome;
          // The last progress notification must not be cut off by the response ending the stream.
          await Promise.all(this.writing);
          return result;
        }
        if (this.open.size > 0) {
          this.rounds += 1;
          return inputRequired({
            inputRequests: Object.fromEntries([...this.open].map(([key, q]) => [key, q.request])) as never,
            requestState: this.seal(),
          });
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
    } finally {
      this.serving = false;
      this.wake = undefined;
      round.signal.removeEventListener("abort", onAbort);
    }
  }

  private seal(): string {
    return `${this.id}.${this.rounds}.${mac(this.id, this.rounds, this.userId, this.tool)}`;
  }

  /** Whether a state names this call's latest round (an older round's answers are stale). */
  isLatest(round: number): boolean {
    return round === this.rounds;
  }
}

function mac(id: string, round: number, userId: string, tool: string): string {
  return createHmac("sha256", stateKey).update(`${id}\n${round}\n${userId}\n${tool}`).digest("base64url");
}

/**
 * The parked call a retry's `requestState` names, for this person and tool. A state that fails its
 * integrity check, or names a call this instance does not hold, is refused with what to do.
 */
export function resumeParkedCall(state: string, userId: string, tool: string): ParkedCall {
  const [id = "", roundText = "", seal = ""] = state.split(".");
  const round = Number(roundText);
  const expected = Buffer.from(mac(id, round, userId, tool));
  const given = Buffer.from(seal);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      "requestState failed its integrity check: call the tool again without requestState and inputResponses",
    );
  const call = parkedCalls.get(id);
  if (!call || call.userId !== userId || call.tool !== tool)
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      "The call these answers belong to has ended (or another hub instance holds it): call the tool again without requestState",
    );
  if (!call.isLatest(round))
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      "This requestState is from an earlier round of the call: answer the latest input_required result",
    );
  return call;
}

/** An upstream's 2025-11-25 request as a 2026-07-28 input request (URL mode has no elicitationId there). */
function asInputRequest(request: Message): Message {
  const params = { ...request.params };
  delete params._meta;
  if (request.method === "elicitation/create" && params.mode === "url") delete params.elicitationId;
  return { method: request.method, params };
}

const ELICIT_ANSWER = z.object({
  action: z.enum(["accept", "decline", "cancel"]),
  content: z.record(z.string(), z.unknown()).optional(),
});
const SAMPLING_ANSWER = z.object({
  role: z.literal("assistant"),
  content: z.unknown().refine((value) => value !== undefined, "content is required"),
  model: z.string(),
});

function checkAnswer(key: string, method: string, value: unknown): void {
  const schema = method === "sampling/createMessage" ? SAMPLING_ANSWER : ELICIT_ANSWER;
  const checked = schema.safeParse(value);
  if (!checked.success)
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      `inputResponses.${key} is not a ${method} result: ${checked.error.issues[0]?.path.join(".") || "value"} ${checked.error.issues[0]?.message ?? "is invalid"}`,
    );
}
