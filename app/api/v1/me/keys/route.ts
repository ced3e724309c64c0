// GET/POST /api/v1/me/keys - the caller's keys (hints only); create one, shown once in the answer
import { NextResponse } from "next/server";
import { readJsonBody, withCaller } from "@/lib/http/api";
import { createKey, listKeys } from "@/lib/keys/queries";

export const GET = withCaller(async (_request, { user }) =>
  NextResponse.json({ keys: await listKeys(user.id) }),
);

export const POST = withCaller(async (request, { user }) =>
  NextResponse.json(await createKey(user.id, (await readJsonBody(request)) as never), {
    status: 201,
    headers: { "Cache-Control": "no-store" },
  }),
);
