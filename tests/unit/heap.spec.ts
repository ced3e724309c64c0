import { expect, test } from "@playwright/test";
import { HEAP_GROWING_PERCENT, heapFlagToSet } from "@/lib/runtime/heap";

test("the hub limits its heap's growth when the operator has not sized the heap", () => {
  expect(heapFlagToSet([], undefined)).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  // Flags about other things leave the choice to the hub.
  expect(heapFlagToSet(["--enable-source-maps"], "--max-old-space-size=2048")).toBe(
    `--heap-growing-percent=${HEAP_GROWING_PERCENT}`,
  );
});

test("an operator's own heap growth or size-first choice stands, on the command line or in NODE_OPTIONS", () => {
  expect(heapFlagToSet(["--heap-growing-percent=20"], undefined)).toBeNull();
  expect(heapFlagToSet([], "--trace-warnings --heap_growing_percent=80")).toBeNull();
  expect(heapFlagToSet(["--optimize-for-size"], "")).toBeNull();
  expect(heapFlagToSet([], "--optimize_for_size")).toBeNull();
});
