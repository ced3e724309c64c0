"use client";

/** The error state of a page inside the app's frame: what happened and what to do next. */
export function SegmentError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="card mx-auto max-w-lg text-center" role="alert">
      <h1 className="text-lg font-semibold">This page could not be loaded</h1>
      <p className="mt-2 text-sm text-slate-600">
        Try again in a moment. If it keeps failing, give an admin this reference so they can find it in the
        server log: <code className="font-mono">{error.digest ?? "none"}</code>.
      </p>
      <button type="button" onClick={reset} className="btn-primary mt-5">
        Try again
      </button>
    </div>
  );
}
