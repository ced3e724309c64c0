// POST /api/v1/settings/import - import MCPHub's mcp_settings.json; reports each entry's outcome (admin)
import { NextResponse } from "next/server";
import { readJsonBody, withCaller } from "@/lib/http/api";
import { importSettings } from "@/lib/settings/import-settings";

export const POST = withCaller(
  async (request, { user }) => {
    const results = await importSettings(user, await readJsonBody(request, 5_000_000));
    return NextResponse.json({ results });
  },
  { role: "admin" },
);
