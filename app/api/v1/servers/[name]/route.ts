// GET/PATCH/DELETE /api/v1/servers/{name} - one server with its tools and needed credentials; change; delete (admin)
import { NextResponse } from "next/server";
import { readJsonBody, withCaller } from "@/lib/http/api";
import { presentServer } from "@/lib/servers/present";
import { deleteServer, getServerByNameOrThrow, listServers, updateServer } from "@/lib/servers/queries";

type Params = { name: string };

export const GET = withCaller<Params>(
  async (_request, _caller, { name }) => {
    const server = await getServerByNameOrThrow(name);
    const usage = (await listServers()).find((s) => s.id === server.id)?.groupNames ?? [];
    return NextResponse.json(presentServer(server, { groups: usage, withTools: true }));
  },
  { role: "admin" },
);

export const PATCH = withCaller<Params>(
  async (request, { user }, { name }) => {
    const { server, warnings } = await updateServer(
      user,
      name,
      (await readJsonBody(request)) as Record<string, unknown>,
    );
    return NextResponse.json({ ...presentServer(server), warnings });
  },
  { role: "admin" },
);

export const DELETE = withCaller<Params>(
  async (_request, { user }, { name }) => {
    await deleteServer(user, name);
    return new NextResponse(null, { status: 204 });
  },
  { role: "admin" },
);
