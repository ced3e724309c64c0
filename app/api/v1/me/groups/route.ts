// GET /api/v1/me/groups - the groups the caller may join, with membership and active flags
import { NextResponse } from "next/server";
import { listGroupsForUser } from "@/lib/groups/memberships";
import { withCaller } from "@/lib/http/api";

export const GET = withCaller(async (_request, { user }) => {
  const groups = await listGroupsForUser(user.id);
  return NextResponse.json({
    groups: groups.map((g) => ({
      name: g.name,
      description: g.description,
      visibility: g.visibility,
      member: g.member,
      active: g.active,
      servers: g.servers.map((s) => s.name),
    })),
  });
});
