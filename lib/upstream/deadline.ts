import { SdkError, SdkErrorCode } from "@modelcontextprotocol/client";

/**
 * The time limit of one upstream call, owned by the hub rather than the SDK because the SDK's
 * timer cannot stop: a call that asks the person something (elicitation, sampling) waits for a
 * human, and that wait must not count against the server's call timeout. The limit restarts on
 * progress (as the SDK's resetTimeoutOnProgress did) and is paused while a question is open.
 * When it runs out, `signal` aborts with the SDK's own timeout error, so the SDK cancels the
 * upstream request and the hub explains it like any other timeout.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private openQuestions = 0;

  constructor(readonly ms: number) {
    this.restart();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Starts the full time again (progress was reported, or the person answered). */
  restart(): void {
    clearTimeout(this.timer);
    if (this.openQuestions > 0 || this.controller.signal.aborted) return;
    this.timer = setTimeout(
      () =>
        this.controller.abort(
          new SdkError(SdkErrorCode.RequestTimeout, "Request timed out", { timeout: this.ms }),
        ),
      this.ms,
    );
  }

  /** Stops the clock until the returned function is called (it restarts the full time then). */
  pause(): () => void {
    this.openQuestions++;
    clearTimeout(this.timer);
    let resumed = false;
    return () => {
      if (resumed) return;
      resumed = true;
      this.openQuestions--;
      this.restart();
    };
  }

  /** Aborts with the caller's own reason (the client cancelled or went away). */
  abort(reason: unknown): void {
    clearTimeout(this.timer);
    this.controller.abort(reason);
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

/**
 * What the SDK gets as its own timeout, which the Deadline above replaces: the largest delay
 * setTimeout accepts (a larger one fires at once).
 */
export const SDK_TIMEOUT_DISABLED = 2_147_483_647;
