// GET/POST /api/v1/users - list users, create a user (admin)
import { NextResponse } from "next/server";
import { readJsonBody, withCaller } from "@/lib/http/api";
import { createUser, listUsers } from "@/lib/users/queries";

export const GET = withCaller(async () => NextResponse.json({ users: await listUsers() }), { role: "admin" });

export const POST = withCaller(
  async (request, caller) =>
    NextResponse.json(await createUser((await readJsonBody(request)) as never, { actor: caller.user }), {
      status: 201,
    }),
  { role: "admin" },
);
