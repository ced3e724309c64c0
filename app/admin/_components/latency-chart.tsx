import type { LatencyRow } from "@/lib/dashboard/queries";

const ROW = 26;
const LEFT = 170;
const WIDTH = 720;
/** Widest first, so each narrower bar is drawn over the one before. */
const BARS = [
  { key: "p99", color: "#fecaca" },
  { key: "p95", color: "#fdba74" },
  { key: "p50", color: "#3b82f6" },
] as const;

/**
 * p50, p95 and p99 per server as nested horizontal bars on one linear scale, drawn on the server;
 * the numbers are in the table beside it.
 */
export function LatencyChart({ rows, title }: { rows: LatencyRow[]; title: string }) {
  const max = Math.max(1, ...rows.map((r) => r.p99 ?? 0));
  const height = rows.length * ROW + 34;
  const x = (ms: number) => LEFT + (ms / max) * (WIDTH - LEFT - 16);
  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${height}`}
      className="h-auto w-full"
      role="img"
      aria-labelledby="latency-title"
      data-testid="latency-chart"
    >
      <title id="latency-title">{title}</title>
      {rows.map((row, i) => {
        const top = i * ROW + 4;
        const label = row.tool ? `${row.server} ${row.tool}` : row.server;
        return (
          <g key={label}>
            <text x={LEFT - 8} y={top + 15} fontSize="11" fill="#334155" textAnchor="end">
              {label.length > 26 ? `${label.slice(0, 25)}…` : label}
            </text>
            {row.p50 === null ? (
              <text x={LEFT} y={top + 15} fontSize="11" fill="#64748b">
                no call reached the server
              </text>
            ) : (
              BARS.map(({ key, color }) => (
                <rect key={key} x={LEFT} y={top + 4} width={x(row[key] ?? 0) - LEFT} height={14} fill={color}>
                  <title>{`${label} ${key} ${Math.round(row[key] ?? 0)} ms`}</title>
                </rect>
              ))
            )}
          </g>
        );
      })}
      <line x1={LEFT} y1={height - 28} x2={WIDTH - 16} y2={height - 28} stroke="#cbd5e1" />
      <text x={LEFT} y={height - 14} fontSize="11" fill="#475569">
        0
      </text>
      <text x={WIDTH - 16} y={height - 14} fontSize="11" fill="#475569" textAnchor="end">
        {Math.round(max)} ms
      </text>
      <text x={(LEFT + WIDTH) / 2} y={height - 2} fontSize="11" fill="#475569" textAnchor="middle">
        latency (ms): p50 blue, p95 orange, p99 red
      </text>
    </svg>
  );
}
