// DELETE /api/v1/users/{id}/keys/{keyId} - revoke any user's key (admin)
import { NextResponse } from "next/server";
import { withCaller } from "@/lib/http/api";
import { revokeUserKey } from "@/lib/keys/admin-keys";

export const DELETE = withCaller<{ id: string; keyId: string }>(
  async (_request, caller, { id, keyId }) => {
    await revokeUserKey(caller.user, id, keyId);
    return new NextResponse(null, { status: 204 });
  },
  { role: "admin" },
);
