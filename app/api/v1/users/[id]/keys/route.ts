// GET/POST /api/v1/users/{id}/keys - a user's keys (hints only); create a key for them, shown once (admin)
import { NextResponse } from "next/server";
import { AppError } from "@/lib/errors";
import { readJsonBody, withCaller } from "@/lib/http/api";
import { createKeyForUser } from "@/lib/keys/admin-keys";
import { listKeys } from "@/lib/keys/queries";
import { getUserById } from "@/lib/users/queries";

async function requireUser(id: string) {
  const user = await getUserById(id);
  if (!user) throw new AppError("not_found", `No user with id ${id}`);
  return user;
}

export const GET = withCaller<{ id: string }>(
  async (_request, _caller, { id }) =>
    NextResponse.json({ keys: await listKeys((await requireUser(id)).id) }),
  { role: "admin" },
);

export const POST = withCaller<{ id: string }>(
  async (request, caller, { id }) => {
    const user = await requireUser(id);
    return NextResponse.json(
      await createKeyForUser(caller.user, user.id, (await readJsonBody(request)) as never),
      {
        status: 201,
        headers: { "Cache-Control": "no-store" },
      },
    );
  },
  { role: "admin" },
);
