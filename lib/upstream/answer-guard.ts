/**
 * Makes a broken answer from an HTTP upstream fail its call at once, with a sentence that says what
 * was wrong, instead of leaving the SDK client waiting for the call's timeout.
 *
 * Measured with the SDK client (see ../shared/README.md and tests/api/faults.spec.ts): a JSON body
 * that is not JSON-RPC fails with a raw SyntaxError or a zod dump, and an SSE answer cut in the
 * middle of its event, or carrying an event that is not JSON-RPC, only reaches the transport's
 * `onerror`: the request stays pending until its timeout. The guard sits in the upstream fetch
 * (lib/upstream/connect.ts), where the request id of each POST is known, and hands the SDK a
 * well-formed JSON-RPC error for that id in place of what the upstream broke. Other calls on the
 * same connection are untouched: each POST has its own answer stream.
 */

/** The JSON-RPC code of the errors the guard writes: "server error", reserved for implementations. */
export const BROKEN_ANSWER_CODE = -32003;

type JsonRpcId = string | number;

/** The id of a JSON-RPC request body (not a notification, not a batch), if it is one. */
function requestIdOf(body: unknown): JsonRpcId | undefined {
  if (typeof body !== "string") return undefined;
  try {
    const message = JSON.parse(body) as { id?: unknown; method?: unknown };
    if (typeof message !== "object" || message === null || Array.isArray(message)) return undefined;
    if (typeof message.method !== "string") return undefined;
    return typeof message.id === "string" || typeof message.id === "number" ? message.id : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `value` is a JSON-RPC message the SDK can read (request, notification or response). */
function isJsonRpcMessage(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const message = value as Record<string, unknown>;
  if (message.jsonrpc !== "2.0") return false;
  if (typeof message.method === "string") return true;
  if (!("id" in message)) return false;
  if ("result" in message) return typeof message.result === "object" && message.result !== null;
  const error = message.error as { code?: unknown; message?: unknown } | undefined;
  return typeof error?.code === "number" && typeof error.message === "string";
}

function isResponseTo(value: unknown, id: JsonRpcId): boolean {
  const message = value as { id?: unknown; result?: unknown; error?: unknown };
  return message.id === id && ("result" in message || "error" in message);
}

function brokenAnswer(id: JsonRpcId, what: string) {
  return { jsonrpc: "2.0", id, error: { code: BROKEN_ANSWER_CODE, message: `The server ${what}` } };
}

/** At most this much of what the upstream sent is quoted in the error, for the admin. */
function quote(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 80 ? `${flat.slice(0, 80)}…` : flat;
}

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** Wraps the upstream fetch: answers to JSON-RPC requests are checked as described above. */
export function guardAnswers(fetch: Fetch): Fetch {
  return async (url, init) => {
    const response = await fetch(url, init);
    const id = init?.method === "POST" ? requestIdOf(init.body) : undefined;
    if (id === undefined || !response.ok || response.status === 202 || !response.body) return response;
    const type = (response.headers.get("content-type") ?? "").toLowerCase();
    if (type.startsWith("application/json")) return guardJson(response, id);
    if (type.startsWith("text/event-stream")) return guardEventStream(response, id);
    return response;
  };
}

async function guardJson(response: Response, id: JsonRpcId): Promise<Response> {
  const text = await response.text();
  let parsed: unknown;
  let problem: string | undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    problem = `answered with a body that is not JSON: "${quote(text)}"`;
  }
  // A batch answer is the SDK's to read; a single answer must be a JSON-RPC message.
  if (!problem && !Array.isArray(parsed) && !isJsonRpcMessage(parsed))
    problem = `answered with JSON that is not a JSON-RPC message: ${quote(text)}`;
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  const body = problem ? JSON.stringify(brokenAnswer(id, problem)) : text;
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

const encoder = new TextEncoder();

function sseEvent(message: unknown): Uint8Array {
  return encoder.encode(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
}

/**
 * Passes complete SSE events through as they arrive and watches for the answer to `id`. An event
 * that is not JSON-RPC, a stream that breaks, or one that ends in the middle of an event (or without
 * the answer and without an event id the client could resume from) ends the stream with an error
 * answer for `id` instead.
 */
function guardEventStream(response: Response, id: JsonRpcId): Response {
  const upstream = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let pending = ""; // text of the event being received
  let answered = false;
  let resumable = false;
  let finished = false;

  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (finished) return;
      const fail = (what: string) => {
        finished = true;
        controller.enqueue(sseEvent(brokenAnswer(id, what)));
        controller.close();
        void upstream.cancel().catch(() => {});
      };
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await upstream.read();
      } catch (error) {
        if (answered) {
          finished = true;
          controller.close();
          return;
        }
        const why = error instanceof Error ? error.message : String(error);
        fail(
          `broke off its answer stream${pending.trim() ? " in the middle of an event" : ""} before answering (${why})`,
        );
        return;
      }
      if (chunk.done) {
        finished = true;
        if (!answered && pending.trim()) {
          fail("ended its answer stream in the middle of an event, before answering");
          return;
        }
        // Without an event id the client cannot ask for the rest: no answer will ever come.
        if (!answered && !resumable) {
          fail("closed its answer stream without answering");
          return;
        }
        controller.close();
        return;
      }
      if (answered) {
        controller.enqueue(chunk.value);
        return;
      }
      pending += decoder.decode(chunk.value, { stream: true });
      const events = pending.replace(/\r\n?/g, "\n").split("\n\n");
      pending = events.pop() ?? "";
      let passed = "";
      for (const event of events) {
        const lines = event.split("\n");
        const data = lines
          .filter((line) => line.startsWith("data:"))
          .map((line) => line.slice(5).replace(/^ /, ""))
          .join("\n");
        if (lines.some((line) => line.startsWith("id:"))) resumable = true;
        const kind =
          lines
            .find((line) => line.startsWith("event:"))
            ?.slice(6)
            .trim() || "message";
        if (kind === "message" && data !== "") {
          let message: unknown;
          try {
            message = JSON.parse(data);
          } catch {
            message = undefined;
          }
          if (!isJsonRpcMessage(message)) {
            if (passed) controller.enqueue(encoder.encode(passed));
            fail(`sent an event in its answer stream that is not JSON-RPC: "${quote(data)}"`);
            return;
          }
          if (isResponseTo(message, id)) answered = true;
        }
        passed += `${event}\n\n`;
      }
      if (passed) controller.enqueue(encoder.encode(passed));
      if (answered && pending) {
        controller.enqueue(encoder.encode(pending));
        pending = "";
      }
    },
    cancel(reason) {
      finished = true;
      return upstream.cancel(reason);
    },
  });
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
