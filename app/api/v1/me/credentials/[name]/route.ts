// PUT/DELETE /api/v1/me/credentials/{NAME} - set (or replace) one of the caller's credentials; remove it
import { NextResponse } from "next/server";
import { deleteCredential, setCredential } from "@/lib/credentials/queries";
import { readJsonBody, withCaller } from "@/lib/http/api";

type Params = { name: string };

export const PUT = withCaller<Params>(async (request, { user }, { name }) => {
  const saved = await setCredential(user.id, name, await readJsonBody(request, 32_768));
  return NextResponse.json({ name: saved.name, linked: true, hint: saved.hint, updatedAt: saved.updatedAt });
});

export const DELETE = withCaller<Params>(async (_request, { user }, { name }) => {
  await deleteCredential(user.id, name);
  return new NextResponse(null, { status: 204 });
});
