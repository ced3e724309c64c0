// GET /api/v1/audit/admin-events - the administrative trail, newest first, filtered and keyset-paginated; format=csv exports it (admin)
import { NextResponse } from "next/server";
import { exportAdminEventsCsv } from "@/lib/audit/export";
import { listAdminEvents, parseAdminEventQuery } from "@/lib/audit/list-admin-events";
import { withCaller } from "@/lib/http/api";

export const GET = withCaller(
  async (request) => {
    const { format, ...query } = parseAdminEventQuery(new URL(request.url).searchParams);
    if (format === "csv") return exportAdminEventsCsv(query);
    return NextResponse.json(await listAdminEvents(query), { headers: { "Cache-Control": "no-store" } });
  },
  { role: "admin" },
);
