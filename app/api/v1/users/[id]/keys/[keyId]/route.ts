// DELETE /api/v1/users/{id}/keys/{keyId} - revoke any user's key (admin)
import { NextResponse } from "next/server";
import { withCaller } from "@/lib/http/api";
import { revokeKey } from "@/lib/keys/queries";

export const DELETE = withCaller<{ id: string; keyId: string }>(
  async (_request, _caller, { id, keyId }) => {
    await revokeKey(id, keyId);
    return new NextResponse(null, { status: 204 });
  },
  { role: "admin" },
);
