// GET /api/v1/openapi.json - the REST API described from the same zod schemas the routes validate with
import { NextResponse } from "next/server";
import { getPublicUrl } from "@/lib/config/env";
import { buildOpenApiDocument } from "@/lib/http/openapi";

export function GET() {
  return NextResponse.json(buildOpenApiDocument(getPublicUrl()));
}
