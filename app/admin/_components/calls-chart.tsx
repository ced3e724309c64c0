import { BUCKET_STATUSES, type BucketStatus, type CallBucket } from "@/lib/dashboard/queries";

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { top: 12, right: 12, bottom: 36, left: 48 };
/** Stacked bottom to top in this order; labelled with the status the audit trail shows. */
const COLORS: Record<BucketStatus, string> = {
  ok: "#16a34a",
  inputRequired: "#2563eb",
  toolError: "#d97706",
  error: "#dc2626",
  rateLimited: "#64748b",
};
const SERIES = (Object.keys(COLORS) as BucketStatus[]).map((key) => ({
  key,
  label: BUCKET_STATUSES[key],
  color: COLORS[key],
}));
const callsIn = (bucket: CallBucket) => SERIES.reduce((sum, s) => sum + bucket[s.key], 0);

const time = new Intl.DateTimeFormat("en", {
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
  hour12: false,
});
const day = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });

function tickLabel(date: Date, spanMs: number) {
  return spanMs > 2 * 86_400_000 ? day.format(date) : time.format(date);
}

/**
 * Calls per bar as stacked SVG bars, drawn on the server. Accessible: the SVG has a title and a
 * description with the totals, the axes are labelled, and the same numbers are in a table below.
 */
export function CallsChart({ buckets, rangeLabel }: { buckets: CallBucket[]; rangeLabel: string }) {
  const totals = Object.fromEntries(
    SERIES.map((s) => [s.key, buckets.reduce((sum, b) => sum + b[s.key], 0)]),
  ) as Record<BucketStatus, number>;
  const max = Math.max(1, ...buckets.map(callsIn));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const barW = plotW / Math.max(1, buckets.length);
  const y = (value: number) => PAD.top + plotH - (value / max) * plotH;
  const first = buckets[0]?.at;
  const last = buckets.at(-1)?.at;
  const spanMs = first && last ? last.getTime() - first.getTime() : 0;
  const ticks = [0, Math.floor(buckets.length / 2), buckets.length - 1].filter(
    (i, n, all) => all.indexOf(i) === n,
  );
  return (
    <figure>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="h-auto w-full"
        role="img"
        aria-labelledby="calls-chart-title calls-chart-desc"
        data-testid="calls-chart"
      >
        <title id="calls-chart-title">Tool calls over the {rangeLabel}</title>
        <desc id="calls-chart-desc">
          {`Calls by how they ended: ${SERIES.map((s) => `${totals[s.key]} ${s.label}`).join(", ")}; the tallest bar holds ${max}.`}
        </desc>
        <line
          x1={PAD.left}
          y1={PAD.top + plotH}
          x2={WIDTH - PAD.right}
          y2={PAD.top + plotH}
          stroke="#cbd5e1"
        />
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={PAD.top + plotH} stroke="#cbd5e1" />
        <text x={PAD.left - 6} y={PAD.top + 4} textAnchor="end" fontSize="11" fill="#475569">
          {max}
        </text>
        <text x={PAD.left - 6} y={PAD.top + plotH} textAnchor="end" fontSize="11" fill="#475569">
          0
        </text>
        <text
          x={12}
          y={PAD.top + plotH / 2}
          fontSize="11"
          fill="#475569"
          textAnchor="middle"
          transform={`rotate(-90 12 ${PAD.top + plotH / 2})`}
        >
          calls
        </text>
        {buckets.map((b, i) => {
          let base = 0;
          return (
            <g key={b.at.getTime()}>
              {SERIES.map((s) => {
                const value = b[s.key];
                if (value === 0) return null;
                const top = y(base + value);
                const height = y(base) - top;
                base += value;
                return (
                  <rect
                    key={s.key}
                    x={PAD.left + i * barW + 0.5}
                    y={top}
                    width={Math.max(1, barW - 1)}
                    height={height}
                    fill={s.color}
                  >
                    <title>{`${b.at.toISOString()}: ${value} ${s.label}`}</title>
                  </rect>
                );
              })}
            </g>
          );
        })}
        {ticks.map((i) => {
          const bucket = buckets[i];
          if (!bucket) return null;
          return (
            <text
              key={i}
              x={PAD.left + i * barW + barW / 2}
              y={HEIGHT - 18}
              fontSize="11"
              fill="#475569"
              textAnchor="middle"
            >
              {tickLabel(bucket.at, spanMs)}
            </text>
          );
        })}
        <text x={PAD.left + plotW / 2} y={HEIGHT - 2} fontSize="11" fill="#475569" textAnchor="middle">
          time (UTC)
        </text>
      </svg>
      <figcaption className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
        {SERIES.map((s) => (
          <span key={s.key} className="flex items-center gap-1">
            <span className="inline-block size-3 rounded-sm" style={{ background: s.color }} aria-hidden />
            {s.label}: {totals[s.key]}
          </span>
        ))}
      </figcaption>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-slate-600">Calls over time as a table</summary>
        <table className="mt-2 w-full text-left text-xs">
          <thead>
            <tr>
              <th scope="col">From (UTC)</th>
              {SERIES.map((s) => (
                <th key={s.key} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {buckets
              .filter((b) => callsIn(b) > 0)
              .map((b) => (
                <tr key={b.at.getTime()}>
                  <td>{b.at.toISOString().slice(0, 16).replace("T", " ")}</td>
                  {SERIES.map((s) => (
                    <td key={s.key}>{b[s.key]}</td>
                  ))}
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
