// GET/POST /api/v1/groups - list groups, create a group (admin)
import { NextResponse } from "next/server";
import { createGroup, listGroups } from "@/lib/groups/queries";
import { readJsonBody, withCaller } from "@/lib/http/api";

export const GET = withCaller(async () => NextResponse.json({ groups: await listGroups() }), {
  role: "admin",
});

export const POST = withCaller(
  async (request, { user }) =>
    NextResponse.json(await createGroup(user, await readJsonBody(request)), { status: 201 }),
  { role: "admin" },
);
