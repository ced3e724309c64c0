// GET /api/v1/audit - the call log, newest first, filtered by user, server, tool, status, from, to, limit (admin)
import { NextResponse } from "next/server";
import { listToolCalls, parseAuditQuery } from "@/lib/audit/list-tool-calls";
import { withCaller } from "@/lib/http/api";

export const GET = withCaller(
  async (request) => {
    const query = parseAuditQuery(new URL(request.url).searchParams);
    return NextResponse.json(
      { calls: await listToolCalls(query) },
      { headers: { "Cache-Control": "no-store" } },
    );
  },
  { role: "admin" },
);
