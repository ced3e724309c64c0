// DELETE /api/v1/me/keys/{id} - revoke one of the caller's keys
import { NextResponse } from "next/server";
import { withCaller } from "@/lib/http/api";
import { revokeKey } from "@/lib/keys/queries";

export const DELETE = withCaller<{ id: string }>(async (_request, { user }, { id }) => {
  await revokeKey(user.id, id);
  return new NextResponse(null, { status: 204 });
});
