import v8 from "node:v8";

/**
 * V8 lets the old generation grow to up to four times what survived the last full collection
 * when the allocation rate is high. The hub allocates briskly and keeps little (about 100 MB
 * live): under load its heap reserved about 400 MB and kept it. Growing by half at most held the
 * heap near 160 MB at the same throughput (docs/performance.md, "Memory under load").
 */
export const HEAP_GROWING_PERCENT = 50;

// Flags with which an operator sizes the heap themselves; their choice stands.
const OPERATOR_HEAP_FLAGS =
  /--(heap-growing-percent|heap_growing_percent|optimize-for-size|optimize_for_size)\b/;

/** The V8 flag to set, or null when the operator already chose (command line or NODE_OPTIONS). */
export function heapFlagToSet(execArgv: readonly string[], nodeOptions: string | undefined): string | null {
  const chosen = [...execArgv, nodeOptions ?? ""].some((arg) => OPERATOR_HEAP_FLAGS.test(arg));
  return chosen ? null : `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

/** Applied once at start; V8 reads this flag whenever it sizes the heap after a collection. */
export function tuneHeapGrowth(): string | null {
  const flag = heapFlagToSet(process.execArgv, process.env.NODE_OPTIONS);
  if (flag) v8.setFlagsFromString(flag);
  return flag;
}
