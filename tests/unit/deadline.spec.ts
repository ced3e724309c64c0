import { SdkError, SdkErrorCode } from "@modelcontextprotocol/client";
import { expect, test } from "@playwright/test";
import { Deadline } from "@/lib/upstream/deadline";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("runs out after its time with the SDK's own timeout error", async () => {
  const deadline = new Deadline(40);
  await wait(80);
  expect(deadline.signal.aborted).toBe(true);
  const reason = deadline.signal.reason;
  expect(reason).toBeInstanceOf(SdkError);
  expect((reason as SdkError).code).toBe(SdkErrorCode.RequestTimeout);
});

test("stands still while a question is open, then gives the full time again", async () => {
  const deadline = new Deadline(50);
  const resume = deadline.pause();
  await wait(150); // three times the limit, paused
  expect(deadline.signal.aborted).toBe(false);
  resume();
  await wait(30); // the full 50 ms start again on resume, not what was left
  expect(deadline.signal.aborted).toBe(false);
  await wait(60);
  expect(deadline.signal.aborted).toBe(true);
});

test("two open questions: the clock waits for both answers; resuming twice counts once", async () => {
  const deadline = new Deadline(40);
  const first = deadline.pause();
  const second = deadline.pause();
  first();
  first();
  await wait(80);
  expect(deadline.signal.aborted).toBe(false);
  second();
  await wait(80);
  expect(deadline.signal.aborted).toBe(true);
});

test("progress restarts the time; the caller's own abort keeps its reason", async () => {
  const deadline = new Deadline(60);
  for (let i = 0; i < 4; i++) {
    await wait(30);
    deadline.restart();
  }
  expect(deadline.signal.aborted).toBe(false); // 120 ms in, never 60 without progress
  const reason = new Error("the client went away");
  deadline.abort(reason);
  expect(deadline.signal.reason).toBe(reason);
  deadline.restart(); // an aborted deadline stays aborted, and starts no timer
  expect(deadline.signal.reason).toBe(reason);
});

test("disposed: it never fires", async () => {
  const deadline = new Deadline(30);
  deadline.dispose();
  await wait(60);
  expect(deadline.signal.aborted).toBe(false);
});
