// PATCH/DELETE /api/v1/users/{id} - change a user's role, name, password or disabled flag; delete a user (admin)
import { NextResponse } from "next/server";
import { readJsonBody, withCaller } from "@/lib/http/api";
import { deleteUser, updateUser } from "@/lib/users/queries";

type Params = { id: string };

export const PATCH = withCaller<Params>(
  async (request, caller, { id }) =>
    NextResponse.json(await updateUser(id, (await readJsonBody(request)) as never, caller.user)),
  { role: "admin" },
);

export const DELETE = withCaller<Params>(
  async (_request, caller, { id }) => {
    await deleteUser(id, caller.user);
    return new NextResponse(null, { status: 204 });
  },
  { role: "admin" },
);
