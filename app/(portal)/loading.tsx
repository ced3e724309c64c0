export default function Loading() {
  return <p className="animate-pulse text-sm text-slate-500">Loading…</p>;
}
