import { type NextRequest, NextResponse } from "next/server";

// Pages anyone may open; everything else sends visitors without a session cookie to /login.
// This only redirects: every page, action and route checks the person and role on the server.
// /mcp and /mcp/{group} are rewritten to the MCP endpoint (next.config.js), which authenticates
// MCP clients by key: they never carry a portal cookie, so they must not be sent to /login.
const PUBLIC_PATHS = ["/login", "/setup", "/mcp"];
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

export function proxy(request: NextRequest) {
  // A dynamic segment with broken percent-encoding would otherwise reach Next.js and fail with a
  // bare 500. (TRACE cannot be caught here: Next.js fails to build its Request before any proxy runs;
  // lib/http/method-guard.ts refuses it first.)
  let decoded: string;
  try {
    decoded = decodeURIComponent(request.nextUrl.pathname);
  } catch {
    return NextResponse.json(
      { error: { code: "bad_request", message: "The URL has broken percent-encoding" } },
      { status: 400 },
    );
  }
  const { pathname, search } = request.nextUrl;
  // No server, group, key or credential name can hold a NUL (each is validated when created), and
  // the database cannot even look one up: a bare 500 otherwise.
  if (decoded.includes("\0")) {
    const message = "Nothing here has a NUL character (%00) in its address";
    return pathname.startsWith("/api/")
      ? NextResponse.json({ error: { code: "not_found", message } }, { status: 404 })
      : new NextResponse(message, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  if (
    pathname.startsWith("/api/") ||
    PUBLIC_PATHS.some((path) => pathname === path || pathname.startsWith(`${path}/`))
  ) {
    return NextResponse.next();
  }
  const hasSession = SESSION_COOKIES.some(
    (name) => request.cookies.has(name) || request.cookies.has(`${name}.0`),
  );
  if (!hasSession) {
    const login = new URL("/login", request.url);
    if (pathname !== "/") login.searchParams.set("next", `${pathname}${search}`);
    return NextResponse.redirect(login);
  }
  return NextResponse.next();
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|robots.txt).*)"],
};
