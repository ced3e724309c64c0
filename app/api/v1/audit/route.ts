// GET /api/v1/audit - the call log, newest first, filtered and keyset-paginated; format=csv exports every page (admin)
import { NextResponse } from "next/server";
import { exportToolCallsCsv } from "@/lib/audit/export";
import { listToolCalls, parseAuditQuery } from "@/lib/audit/list-tool-calls";
import { withCaller } from "@/lib/http/api";

export const GET = withCaller(
  async (request) => {
    const { format, ...query } = parseAuditQuery(new URL(request.url).searchParams);
    if (format === "csv") return exportToolCallsCsv(query);
    return NextResponse.json(await listToolCalls(query), { headers: { "Cache-Control": "no-store" } });
  },
  { role: "admin" },
);
