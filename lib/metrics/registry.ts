/**
 * A small Prometheus registry: counters and histograms with label sets, and gauges read at scrape
 * time, written out in the text exposition format 0.0.4. Hand-written rather than prom-client so
 * that one instance lives on globalThis and is shared by every Next.js route bundle of the process
 * (see docs/decisions/0012-rate-limits.md).
 */

export type Labels = Record<string, string>;

/** Label sets kept per metric: labels are bounded by design (server names, statuses), this is the net. */
const MAX_SERIES = 5_000;

export type Sample = { labels?: Labels; value: number; suffix?: string };
export type Family = {
  name: string;
  help: string;
  type: "counter" | "gauge" | "histogram";
  samples: Sample[];
};

/**
 * One string per label set, whatever the order its labels were given in. Runs for every counted
 * call, so no JSON and no locale-aware sort: names are sorted by code unit, and each value is
 * preceded by its length, so no value (a server name is the admin's choice) can pass for two.
 */
function labelKey(labels: Labels): string {
  const names = Object.keys(labels);
  if (names.length > 1) names.sort();
  let key = "";
  for (const name of names) {
    const value = labels[name] ?? "";
    key += `${name}\u0000${value.length}\u0000${value}`;
  }
  return key;
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

/** Writes metric families in the text format 0.0.4. */
export function exposition(families: readonly Family[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      const entries = Object.entries(sample.labels ?? {});
      const labels =
        entries.length === 0
          ? ""
          : `{${entries.map(([key, value]) => `${key}="${escapeLabelValue(value)}"`).join(",")}}`;
      lines.push(`${family.name}${sample.suffix ?? ""}${labels} ${formatValue(sample.value)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

export class Counter {
  private readonly series = new Map<string, { labels: Labels; value: number }>();
  dropped = 0;

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels);
    const entry = this.series.get(key);
    if (entry) entry.value += by;
    else if (this.series.size < MAX_SERIES) this.series.set(key, { labels, value: by });
    else this.dropped += by;
  }

  /** The current value of one series (tests and the admin page). */
  get(labels: Labels = {}): number {
    return this.series.get(labelKey(labels))?.value ?? 0;
  }

  collect(): Family {
    return {
      name: this.name,
      help: this.help,
      type: "counter",
      samples: [...this.series.values()].map(({ labels, value }) => ({ labels, value })),
    };
  }
}

export class Histogram {
  private readonly series = new Map<
    string,
    { labels: Labels; counts: number[]; sum: number; count: number }
  >();

  constructor(
    readonly name: string,
    readonly help: string,
    /** Upper bounds, ascending; +Inf is added. */
    readonly buckets: readonly number[],
  ) {}

  observe(labels: Labels, value: number): void {
    const key = labelKey(labels);
    let entry = this.series.get(key);
    if (!entry) {
      if (this.series.size >= MAX_SERIES) return;
      entry = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    // Counts per bucket are stored non-cumulative and summed when written out.
    const index = this.buckets.findIndex((bound) => value <= bound);
    if (index >= 0) entry.counts[index] = (entry.counts[index] ?? 0) + 1;
    entry.sum += value;
    entry.count += 1;
  }

  collect(): Family {
    const samples: Sample[] = [];
    for (const { labels, counts, sum, count } of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += counts[i] ?? 0;
        samples.push({ labels: { ...labels, le: formatValue(bound) }, value: cumulative, suffix: "_bucket" });
      });
      samples.push({ labels: { ...labels, le: "+Inf" }, value: count, suffix: "_bucket" });
      samples.push({ labels, value: sum, suffix: "_sum" });
      samples.push({ labels, value: count, suffix: "_count" });
    }
    return { name: this.name, help: this.help, type: "histogram", samples };
  }
}
