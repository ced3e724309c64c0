// GET /api/v1/me - who the caller is
import { NextResponse } from "next/server";
import { withCaller } from "@/lib/http/api";

export const GET = withCaller(async (_request, { user }) =>
  NextResponse.json({ id: user.id, email: user.email, name: user.name, role: user.role }),
);
