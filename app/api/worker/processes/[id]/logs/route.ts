// GET /api/worker/processes/{id}/logs - recent stderr of an isolated process (admin)
import { NextResponse } from "next/server";
import { withCaller } from "@/lib/http/api";
import { processLogs } from "@/lib/processes/worker";

export const GET = withCaller<{ id: string }>(
  async (_request, _caller, { id }) => NextResponse.json(processLogs(id)),
  { role: "admin" },
);
