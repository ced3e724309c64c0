// GET /api/v1/me/credentials - the credentials the caller's groups need: linked or not, used by which servers; never a value
import { NextResponse } from "next/server";
import { listCredentialStatus } from "@/lib/credentials/status";
import { withCaller } from "@/lib/http/api";

export const GET = withCaller(async (_request, { user }) =>
  NextResponse.json(
    (await listCredentialStatus(user.id)).map(({ name, linked, hint, updatedAt, usedBy }) => ({
      name,
      linked,
      hint,
      updatedAt,
      usedBy,
    })),
    { headers: { "Cache-Control": "no-store" } },
  ),
);
