import { z } from "zod";

/** The dashboard's time ranges, with the width of one chart bar: every range draws 48–60 bars. */
export const RANGES = {
  "1h": { label: "last hour", ms: 3_600_000, bucket: "1 minute", bucketMs: 60_000 },
  "24h": { label: "last 24 hours", ms: 86_400_000, bucket: "30 minutes", bucketMs: 1_800_000 },
  "7d": { label: "last 7 days", ms: 604_800_000, bucket: "3 hours", bucketMs: 10_800_000 },
  "30d": { label: "last 30 days", ms: 2_592_000_000, bucket: "12 hours", bucketMs: 43_200_000 },
} as const;

export type RangeName = keyof typeof RANGES;
export type Range = (typeof RANGES)[RangeName] & { name: RangeName; since: Date; until: Date };

export const rangeSchema = z
  .enum(Object.keys(RANGES) as [RangeName, ...RangeName[]], {
    error: `range must be one of ${Object.keys(RANGES).join(", ")}`,
  })
  .default("24h");

/**
 * The range ending now, with its start aligned to a bar's edge so bars are whole and the same
 * URL draws the same bars for the length of one bar.
 */
export function resolveRange(name: RangeName, now = new Date()): Range {
  const range = RANGES[name];
  const until = new Date(Math.ceil(now.getTime() / range.bucketMs) * range.bucketMs);
  return { ...range, name, since: new Date(until.getTime() - range.ms), until };
}
