import type { Octokit } from "@octokit/core";

/*
 * GitHub's advice for one token, applied per person: at most 10 requests in flight; writes at least
 * 1 s apart, those that notify people (new issues, comments, pull requests, merges) 3 s apart,
 * searches 2 s apart. Reads that fail with a server error or without an answer are tried twice more.
 * Rate limits are never waited out here: the tool answers when they reset.
 *
 * Octokit's retry and throttling plugins do the same, but schedule through timers and cost about
 * 14 ms per request (docs/performance.md); this is plain promise bookkeeping.
 */

const MAX_IN_FLIGHT = 10;
const WRITE_GAP_MS = 1_000;
const NOTIFY_GAP_MS = 3_000;
const SEARCH_GAP_MS = 2_000;
const RETRY_DELAYS_MS = [500, 1_500];

const NOTIFYING =
  /^\/repos\/[^/]+\/[^/]+\/(issues|pulls|issues\/[^/]+\/comments|pulls\/[^/]+\/(comments|merge|reviews|requested_reviewers))$/;

type PersonState = {
  inFlight: number;
  waiting: Array<() => void>;
  nextWrite: number;
  nextNotify: number;
  nextSearch: number;
};

const people = new Map<string, PersonState>();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function stateOf(personId: string): PersonState {
  let state = people.get(personId);
  if (!state) {
    state = { inFlight: 0, waiting: [], nextWrite: 0, nextNotify: 0, nextSearch: 0 };
    people.set(personId, state);
  }
  return state;
}

/** Reserves the earliest start this request may have, and waits for it. */
async function spaceOut(state: PersonState, method: string, path: string) {
  const now = Date.now();
  let at = now;
  if (method === "GET" || method === "HEAD") {
    if (!path.startsWith("/search/")) return;
    at = Math.max(now, state.nextSearch);
    state.nextSearch = at + SEARCH_GAP_MS;
  } else {
    const notifies = NOTIFYING.test(path);
    at = Math.max(now, state.nextWrite, notifies ? state.nextNotify : 0);
    state.nextWrite = at + WRITE_GAP_MS;
    if (notifies) state.nextNotify = at + NOTIFY_GAP_MS;
  }
  if (at > now) await sleep(at - now);
}

async function acquire(state: PersonState) {
  if (state.inFlight < MAX_IN_FLIGHT) {
    state.inFlight++;
    return;
  }
  await new Promise<void>((resolve) => state.waiting.push(resolve));
}

function release(personId: string, state: PersonState) {
  const next = state.waiting.shift();
  if (next) return next(); // the slot passes on
  state.inFlight--;
  const now = Date.now();
  if (state.inFlight === 0 && Math.max(state.nextWrite, state.nextNotify, state.nextSearch) < now)
    people.delete(personId);
}

function retriable(error: unknown): boolean {
  const { status, response } = error as { status?: unknown; response?: unknown };
  // Octokit reports a request that got no answer as status 500 without a response.
  return typeof status !== "number" || status >= 500 || !response;
}

/** Installs the pacing and the retries of reads on one person's Octokit. */
export function pace(octokit: Octokit, personId: string): void {
  octokit.hook.wrap("request", async (request, options) => {
    const method = String(options.method ?? "GET").toUpperCase();
    const path = new URL(String(options.url), "http://github.invalid").pathname;
    const state = stateOf(personId);
    await spaceOut(state, method, path);
    await acquire(state);
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return await request(options);
        } catch (error) {
          const delay = RETRY_DELAYS_MS[attempt];
          if (delay === undefined || !(method === "GET" || method === "HEAD") || !retriable(error))
            throw error;
          await sleep(delay);
        }
      }
    } finally {
      release(personId, state);
    }
  });
}
