/**
 * Sliding-window counting (the current minute plus the previous minute weighted by how much of it
 * still overlaps the last 60 seconds). Pure functions: the stores count, this decides.
 *
 * A fixed window would let a person make twice the limit in two seconds around a minute boundary;
 * the weighted estimate smooths that at the cost of two counters per limit.
 */

export const WINDOW_MS = 60_000;

/** The start (epoch ms) of the minute window that `now` falls in. */
export function windowStart(now: number): number {
  return Math.floor(now / WINDOW_MS) * WINDOW_MS;
}

/** How far into its window `now` is, from 0 (inclusive) to 1 (exclusive). */
export function elapsedFraction(now: number): number {
  return (now - windowStart(now)) / WINDOW_MS;
}

/** The calls of the last 60 seconds, estimated from the two window counters. */
export function estimate(previous: number, current: number, now: number): number {
  return previous * (1 - elapsedFraction(now)) + current;
}

/**
 * Whether a call may go ahead, given the counters *including* that call: it may when the estimate
 * does not exceed the limit.
 */
export function allows(limit: number, previous: number, currentWithCall: number, now: number): boolean {
  return estimate(previous, currentWithCall, now) <= limit;
}

/**
 * Whole seconds (at least 1) until one more call would be allowed, given the counters *without* the
 * refused call. Two cases: the current window still has room once enough of the previous one has
 * slid out, or the current window alone is full and the wait runs into the next window, where this
 * window's calls become the weighted previous ones.
 */
export function retryAfterSeconds(limit: number, previous: number, current: number, now: number): number {
  const fraction = elapsedFraction(now);
  let waitFraction: number;
  if (current + 1 <= limit) {
    // previous * (1 - f) + current + 1 <= limit  ⇔  f >= 1 - (limit - current - 1) / previous
    const needed = previous > 0 ? 1 - (limit - current - 1) / previous : 0;
    waitFraction = Math.max(0, needed - fraction);
  } else {
    // Next window: current * (1 - f') + 1 <= limit  ⇔  f' >= 1 - (limit - 1) / current
    const needed = current > 0 ? Math.max(0, 1 - (limit - 1) / current) : 0;
    waitFraction = 1 - fraction + needed;
  }
  // Whole milliseconds first: float dust (1 - 59/60 …) must not add a second.
  return Math.max(1, Math.ceil(Math.round(waitFraction * WINDOW_MS) / 1000));
}
