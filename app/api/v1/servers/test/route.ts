// POST /api/v1/servers/test - validate an unsaved server configuration and try to connect to it (admin)
import { NextResponse } from "next/server";
import { readJsonBody, withCaller } from "@/lib/http/api";
import { checkServerInput } from "@/lib/servers/queries";
import { probeServer } from "@/lib/upstream/probe";

export const POST = withCaller(
  async (request, { user }) => {
    const validated = checkServerInput(await readJsonBody(request));
    return NextResponse.json({
      ...(await probeServer(validated.config, user)),
      warnings: validated.warnings,
    });
  },
  { role: "admin" },
);
