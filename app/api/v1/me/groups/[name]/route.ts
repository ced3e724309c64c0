// PUT/DELETE /api/v1/me/groups/{name} - join a public group or switch a membership active/inactive; leave a public group
import { NextResponse } from "next/server";
import { parseInput } from "@/lib/errors";
import { leaveGroup, setMyGroupActive } from "@/lib/groups/memberships";
import { setActiveSchema } from "@/lib/groups/schemas";
import { readJsonBody, withCaller } from "@/lib/http/api";

type Params = { name: string };

export const PUT = withCaller<Params>(async (request, { user }, { name }) => {
  const { active } = parseInput(setActiveSchema, await readJsonBody(request));
  const group = await setMyGroupActive(user.id, name, active);
  return NextResponse.json({ name: group.name, member: group.member, active: group.active });
});

export const DELETE = withCaller<Params>(async (_request, { user }, { name }) => {
  await leaveGroup(user.id, name);
  return new NextResponse(null, { status: 204 });
});
