// ANY /api/* - a JSON 404 for paths no other route handles, instead of an HTML page
import { jsonError } from "@/lib/http/api";
import { serveInRequestScope } from "@/lib/telemetry/request-scope";

function notFound(request: Request) {
  const { pathname } = new URL(request.url);
  return serveInRequestScope(
    request,
    async () =>
      jsonError("not_found", `No API route at ${request.method} ${pathname}; see /api/v1/openapi.json`, 404),
    () => jsonError("internal", "Something went wrong on the server", 500),
  );
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
