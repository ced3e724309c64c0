// GET/PATCH/DELETE /api/v1/rate-limits/{id} - one rate limit: read, change its calls per minute, delete (admin)
import { NextResponse } from "next/server";
import { readJsonBody, withCaller } from "@/lib/http/api";
import { deleteRateLimit, getRateLimit, updateRateLimit } from "@/lib/limits/queries";

type Params = { id: string };

export const GET = withCaller<Params>(
  async (_request, _caller, { id }) => NextResponse.json(await getRateLimit(id)),
  {
    role: "admin",
  },
);

export const PATCH = withCaller<Params>(
  async (request, caller, { id }) =>
    NextResponse.json(await updateRateLimit(caller.user, id, (await readJsonBody(request)) as never)),
  { role: "admin" },
);

export const DELETE = withCaller<Params>(
  async (_request, caller, { id }) => {
    await deleteRateLimit(caller.user, id);
    return new NextResponse(null, { status: 204 });
  },
  { role: "admin" },
);
