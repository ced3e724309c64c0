// PUT/DELETE /api/v1/groups/{name}/members/{userId} - add a person to a group (restricted ones too); remove them (admin)
import { NextResponse } from "next/server";
import { addGroupMember, removeGroupMember } from "@/lib/groups/queries";
import { withCaller } from "@/lib/http/api";

type Params = { name: string; userId: string };

export const PUT = withCaller<Params>(
  async (_request, { user }, { name, userId }) => {
    await addGroupMember(user, name, userId);
    return new NextResponse(null, { status: 204 });
  },
  { role: "admin" },
);

export const DELETE = withCaller<Params>(
  async (_request, { user }, { name, userId }) => {
    await removeGroupMember(user, name, userId);
    return new NextResponse(null, { status: 204 });
  },
  { role: "admin" },
);
