// POST /api/v1/users/{id}/keys - create a key for a user, shown once in the answer (admin)
import { NextResponse } from "next/server";
import { AppError } from "@/lib/errors";
import { readJsonBody, withCaller } from "@/lib/http/api";
import { createKey } from "@/lib/keys/queries";
import { getUserById } from "@/lib/users/queries";

export const POST = withCaller<{ id: string }>(
  async (request, _caller, { id }) => {
    const user = await getUserById(id);
    if (!user) throw new AppError("not_found", `No user with id ${id}`);
    return NextResponse.json(await createKey(user.id, (await readJsonBody(request)) as never), {
      status: 201,
      headers: { "Cache-Control": "no-store" },
    });
  },
  { role: "admin" },
);
