import { getEnv } from "@/lib/config/env";
import packageJson from "@/package.json";

/** The Notion API version the tools are written against (the one with databases/{id}/query). */
export const NOTION_VERSION = "2022-06-28";

/** An error answer of the Notion API: {object: "error", status, code, message}. */
export class NotionError extends Error {
  override name = "NotionError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

type RequestOptions = { query?: Record<string, string | number | undefined>; body?: unknown };

/** The Notion client tools get: JSON requests bound to one person's integration token. */
export type Notion = {
  request<T = Record<string, unknown>>(
    method: "GET" | "POST" | "PATCH",
    path: string,
    options?: RequestOptions,
  ): Promise<T>;
};

export function createNotion(token: string): Notion {
  const base = getEnv().NOTION_API_URL;
  return {
    async request(method, path, options = {}) {
      const url = new URL(`${base}${path}`);
      for (const [name, value] of Object.entries(options.query ?? {}))
        if (value !== undefined) url.searchParams.set(name, String(value));
      const response = await fetch(url, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          "Notion-Version": NOTION_VERSION,
          "User-Agent": `mcphub/${packageJson.version}`,
          Accept: "application/json",
          ...(options.body !== undefined && { "Content-Type": "application/json" }),
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        redirect: "error",
        signal: AbortSignal.timeout(25_000),
      });
      const text = await response.text();
      let data: unknown = null;
      try {
        data = text ? JSON.parse(text) : null;
      } catch {
        // A proxy's HTML error page: described by its status below.
      }
      if (!response.ok) {
        const error = (data ?? {}) as { code?: unknown; message?: unknown };
        const retryAfter = Number(response.headers.get("retry-after"));
        throw new NotionError(
          response.status,
          typeof error.code === "string" ? error.code : `http_${response.status}`,
          typeof error.message === "string" ? error.message : `HTTP ${response.status}`,
          Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
        );
      }
      if (data === null || typeof data !== "object")
        throw new NotionError(502, "bad_answer", "Notion answered something that is not JSON");
      return data as never;
    },
  };
}

/** Accepts an ID with or without dashes, or a Notion URL ending in one; answers the dashed form. */
export function notionId(input: string): string {
  const hex = input
    .replace(/[?#].*$/, "")
    .replace(/-/g, "")
    .match(/[0-9a-fA-F]{32}$/)?.[0];
  if (!hex) return input;
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
