// GET/POST /api/worker/processes - list isolated processes; start one {userId, server} (admin)
import { NextResponse } from "next/server";
import { readJsonBody, withCaller } from "@/lib/http/api";
import { listProcesses, sandboxLayers, startProcess } from "@/lib/processes/worker";

export const dynamic = "force-dynamic";

export const GET = withCaller(
  async () => NextResponse.json({ processes: listProcesses(), sandbox: sandboxLayers() }),
  { role: "admin" },
);

export const POST = withCaller(
  async (request) => NextResponse.json(await startProcess(await readJsonBody(request)), { status: 201 }),
  { role: "admin" },
);
