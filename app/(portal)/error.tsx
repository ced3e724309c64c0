"use client";

import { SegmentError } from "@/app/_components/segment-error";

export default function ErrorPage(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <SegmentError {...props} />;
}
