// GET/PUT /api/v1/settings/retention - how many days the call log and admin trail are kept (admin)
import { NextResponse } from "next/server";
import { getRetention, setRetention } from "@/lib/audit/retention";
import { readJsonBody, withCaller } from "@/lib/http/api";

export const GET = withCaller(async () => NextResponse.json(await getRetention()), { role: "admin" });

export const PUT = withCaller(
  async (request, caller) => NextResponse.json(await setRetention(caller.user, await readJsonBody(request))),
  { role: "admin" },
);
