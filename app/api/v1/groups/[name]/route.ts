// GET/PATCH/DELETE /api/v1/groups/{name} - one group; change it; delete it (admin)
import { NextResponse } from "next/server";
import { deleteGroup, getGroupDetail, updateGroup } from "@/lib/groups/queries";
import { readJsonBody, withCaller } from "@/lib/http/api";

type Params = { name: string };

export const GET = withCaller<Params>(
  async (_request, _caller, { name }) => NextResponse.json(await getGroupDetail(name)),
  { role: "admin" },
);

export const PATCH = withCaller<Params>(
  async (request, { user }, { name }) =>
    NextResponse.json(
      await updateGroup(user, name, (await readJsonBody(request)) as Record<string, unknown>),
    ),
  { role: "admin" },
);

export const DELETE = withCaller<Params>(
  async (_request, { user }, { name }) => {
    await deleteGroup(user, name);
    return new NextResponse(null, { status: 204 });
  },
  { role: "admin" },
);
