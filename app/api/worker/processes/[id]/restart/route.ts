// POST /api/worker/processes/{id}/restart - stop and start an isolated process again (admin)
import { NextResponse } from "next/server";
import { withCaller } from "@/lib/http/api";
import { restartProcess } from "@/lib/processes/worker";

export const POST = withCaller<{ id: string }>(
  async (_request, _caller, { id }) => NextResponse.json(await restartProcess(id)),
  { role: "admin" },
);
