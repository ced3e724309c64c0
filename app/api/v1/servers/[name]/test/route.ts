// POST /api/v1/servers/{name}/test - connect to a saved server as the calling admin and list its tools (admin)
import { NextResponse } from "next/server";
import { withCaller } from "@/lib/http/api";
import { getServerByNameOrThrow } from "@/lib/servers/queries";
import { recordProbe } from "@/lib/servers/refresh";
import { probeServer } from "@/lib/upstream/probe";

export const POST = withCaller<{ name: string }>(
  async (_request, { user }, { name }) => {
    const server = await getServerByNameOrThrow(name);
    const result = await probeServer(server.config, user);
    await recordProbe(server.id, result);
    return NextResponse.json(result);
  },
  { role: "admin" },
);
