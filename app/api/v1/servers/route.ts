// GET/POST /api/v1/servers - list servers with status and usage, create a server (admin)
import { NextResponse } from "next/server";
import { readJsonBody, withCaller } from "@/lib/http/api";
import { presentServer } from "@/lib/servers/present";
import { createServer, listServers } from "@/lib/servers/queries";

export const GET = withCaller(
  async () =>
    NextResponse.json({
      servers: (await listServers()).map((s) => presentServer(s, { groups: s.groupNames })),
    }),
  { role: "admin" },
);

export const POST = withCaller(
  async (request, { user }) => {
    const { server, warnings } = await createServer(user, await readJsonBody(request));
    return NextResponse.json({ ...presentServer(server), warnings }, { status: 201 });
  },
  { role: "admin" },
);
