"use client";

import { useState } from "react";

/** Copies `text` to the clipboard and says so; if the browser refuses, says how to copy by hand. */
export function CopyButton({
  text,
  label = "Copy",
  className = "btn-secondary px-3 py-1.5 text-xs",
}: {
  text: string;
  label?: string;
  className?: string;
}) {
  const [result, setResult] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setResult("copied");
    } catch {
      setResult("failed");
    }
    setTimeout(() => setResult("idle"), 2_500);
  };
  return (
    <button type="button" onClick={copy} className={className} aria-live="polite">
      {result === "copied" ? "Copied" : result === "failed" ? "Select and press Ctrl+C" : label}
    </button>
  );
}
