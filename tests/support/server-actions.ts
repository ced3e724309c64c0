import { readFileSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext, APIResponse } from "@playwright/test";
import { HUB_URL } from "./env";

/** One server action of the production build, as `.next/server/server-reference-manifest.json` lists it. */
export type BuiltAction = { id: string; filename: string; exportedName: string };

type Manifest = {
  node: Record<string, { filename?: string; exportedName?: string; workers: Record<string, unknown> }>;
  edge: Record<string, { filename?: string; exportedName?: string }>;
};

/** Every server action the build the hub runs contains: its id is what the browser posts. */
export function readBuiltActions(nextDir = path.resolve(".next")): BuiltAction[] {
  const file = path.join(nextDir, "server", "server-reference-manifest.json");
  const manifest = JSON.parse(readFileSync(file, "utf8")) as Manifest;
  return Object.entries({ ...manifest.node, ...manifest.edge }).map(([id, entry]) => ({
    id,
    filename: entry.filename ?? "(unknown file)",
    exportedName: entry.exportedName ?? "(unknown export)",
  }));
}

export function builtActionId(filename: string, exportedName: string): string {
  const found = readBuiltActions().find(
    (action) => action.filename === filename && action.exportedName === exportedName,
  );
  if (!found) throw new Error(`The build has no server action ${exportedName} from ${filename}`);
  return found.id;
}

/**
 * Encodes an action's arguments the way React's `encodeReply` does in the browser: a JSON array as
 * text, or, when an argument is a FormData, a multipart body whose FormData entries are prefixed
 * `_<part>_` and whose root "0" comes last (the server resolves `$K<part>` when "0" arrives, so the
 * entries must already be there).
 */
function encodeArguments(args: unknown[]): { data: string } | { multipart: FormData } {
  const body = new FormData();
  let nextPart = 1;
  const encode = (value: unknown): unknown => {
    if (value instanceof FormData) {
      const part = nextPart++;
      for (const [key, entry] of value.entries()) body.append(`_${part}_${key}`, entry);
      return `$K${part.toString(16)}`;
    }
    // React escapes strings that start with "$", which it reserves for references.
    if (typeof value === "string") return value.startsWith("$") ? `$${value}` : value;
    if (Array.isArray(value)) return value.map(encode);
    if (value && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, encode(entry)]));
    return value;
  };
  const root = JSON.stringify(args.map(encode));
  if (nextPart === 1) return { data: root };
  body.append("0", root);
  return { multipart: body };
}

/**
 * Calls a server action over HTTP as the browser does: a POST to a page with the `Next-Action`
 * header. Redirects are not followed, so a redirect to /login shows as one.
 */
export async function callAction(
  api: APIRequestContext,
  pagePath: string,
  actionId: string,
  args: unknown[],
  extraHeaders: Record<string, string> = {},
): Promise<APIResponse> {
  const encoded = encodeArguments(args);
  return api.post(pagePath, {
    headers: {
      "next-action": actionId,
      accept: "text/x-component",
      origin: HUB_URL,
      ...("data" in encoded && { "content-type": "text/plain;charset=UTF-8" }),
      ...extraHeaders,
    },
    ...encoded,
    maxRedirects: 0,
  });
}

export type ActionState = {
  status: string;
  code?: string;
  message?: string;
  fieldErrors?: Record<string, string[]>;
};

/**
 * The FormState an action answered, read from the RSC stream (rows `<id>:<json>`); undefined when
 * the response holds none (a redirect, an HTML page).
 */
export async function actionState(response: APIResponse): Promise<ActionState | undefined> {
  const text = await response.text();
  for (const line of text.split("\n")) {
    const match = /^[0-9a-f]+:(\{.*\})$/.exec(line);
    if (!match?.[1]) continue;
    try {
      const row = JSON.parse(match[1]) as Record<string, unknown>;
      if (typeof row.status === "string" && ("message" in row || row.status === "idle")) {
        return row as ActionState;
      }
    } catch {
      // Not every row is plain JSON (module references, text chunks).
    }
  }
  return undefined;
}
