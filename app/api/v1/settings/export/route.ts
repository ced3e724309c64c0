// GET /api/v1/settings/export - servers and groups as mcp_settings.json, without any user secret (admin)
import { NextResponse } from "next/server";
import { withCaller } from "@/lib/http/api";
import { exportSettings } from "@/lib/settings/export-settings";

export const GET = withCaller(
  async () =>
    NextResponse.json(await exportSettings(), {
      headers: {
        "Content-Disposition": 'attachment; filename="mcp_settings.json"',
        "Cache-Control": "no-store",
      },
    }),
  { role: "admin" },
);
