// DELETE /api/worker/processes/{id} - stop an isolated process (admin)
import { NextResponse } from "next/server";
import { withCaller } from "@/lib/http/api";
import { stopProcess } from "@/lib/processes/worker";

export const DELETE = withCaller<{ id: string }>(
  async (_request, _caller, { id }) => {
    await stopProcess(id);
    return new NextResponse(null, { status: 204 });
  },
  { role: "admin" },
);
