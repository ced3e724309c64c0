// GET/POST /api/v1/rate-limits - list rate limits with their usage, create one (admin)
import { NextResponse } from "next/server";
import { readJsonBody, withCaller } from "@/lib/http/api";
import { createRateLimit, listRateLimits } from "@/lib/limits/queries";

export const GET = withCaller(async () => NextResponse.json({ rateLimits: await listRateLimits() }), {
  role: "admin",
});

export const POST = withCaller(
  async (request, caller) =>
    NextResponse.json(await createRateLimit(caller.user, (await readJsonBody(request)) as never), {
      status: 201,
    }),
  { role: "admin" },
);
