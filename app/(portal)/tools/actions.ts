"use server";

import { randomUUID } from "node:crypto";
import type { CallToolResult } from "@modelcontextprotocol/server";
import { getSessionUser } from "@/lib/auth/session";
import { callToolFor } from "@/lib/mcp/call-tool";

export type TryToolState =
  | { status: "idle" }
  | { status: "error"; message: string }
  | { status: "done"; result: CallToolResult; ms: number };

/**
 * Calls one of the person's tools from the browser, through the same routing, connections and
 * call log as the MCP endpoint (the log shows no key for these calls).
 */
export async function tryToolAction(name: string, argumentsJson: string): Promise<TryToolState> {
  const user = await getSessionUser();
  if (!user) return { status: "error", message: "Your session ended: sign in again" };
  let args: unknown;
  try {
    args = argumentsJson.trim() ? JSON.parse(argumentsJson) : {};
  } catch {
    return {
      status: "error",
      message: 'The arguments are not valid JSON: write an object such as {"message": "hi"}',
    };
  }
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    return { status: "error", message: "The arguments must be a JSON object" };
  }
  const started = performance.now();
  try {
    const principal = { userId: user.id, email: user.email, keyId: null };
    const result = await callToolFor(principal, { kind: "active" }, name, args as Record<string, unknown>, {
      requestId: `portal-${randomUUID()}`,
    });
    return { status: "done", result, ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: "error", message: error instanceof Error ? error.message : String(error) };
  }
}
