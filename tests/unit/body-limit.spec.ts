import { expect, test } from "@playwright/test";
import { readLimitedBody } from "@/lib/mcp/limits";

/** A request whose body arrives in `count` chunks of `size` bytes; counts the chunks pulled. */
function streamedRequest(count: number, size: number) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === count) return controller.close();
      pulled += 1;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
  });
  const request = new Request("http://hub.test/api/mcp", {
    method: "POST",
    body,
    duplex: "half",
  } as RequestInit);
  return { request, pulled: () => pulled };
}

test("a body within the limit is read whole", async () => {
  const { request } = streamedRequest(3, 1000);
  expect(await readLimitedBody(request, 4000)).toBe("a".repeat(3000));
});

test("a body over the limit answers null and stops reading right after the limit", async () => {
  // 100 chunks of 1 MB offered; the limit is 4 MB: reading stops at the fifth chunk.
  const { request, pulled } = streamedRequest(100, 1024 * 1024);
  expect(await readLimitedBody(request, 4 * 1024 * 1024)).toBeNull();
  expect(pulled()).toBeLessThanOrEqual(6);
});

test("no body reads as empty text", async () => {
  expect(await readLimitedBody(new Request("http://hub.test/api/mcp", { method: "POST" }))).toBe("");
});
