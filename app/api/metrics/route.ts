// GET /api/metrics - Prometheus metrics (scrape token MCPHUB_METRICS_TOKEN, or an admin's key)
import { withCaller } from "@/lib/http/api";
import { isScrapeToken, METRICS_ACCESS_MESSAGES } from "@/lib/metrics/access";
import { renderMetrics } from "@/lib/metrics/collect";

export const dynamic = "force-dynamic";

export const GET = withCaller(
  async () =>
    new Response(await renderMetrics(), {
      headers: { "Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Cache-Control": "no-store" },
    }),
  { role: "admin", orToken: isScrapeToken, messages: METRICS_ACCESS_MESSAGES },
);
