import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { getSessionUser } from "@/lib/auth/session";
import { getPublicUrl } from "@/lib/config/env";
import {
  completeGithubConnect,
  GITHUB_STATE_COOKIE,
  GithubConnectError,
} from "@/lib/credentials/github-connect";

/** Where GitHub sends the browser back after the person approved (or declined) MCPHub. */
export async function GET(request: Request) {
  const back = (outcome: string) => NextResponse.redirect(`${getPublicUrl()}/account/connections?${outcome}`);
  const user = await getSessionUser();
  if (!user) return NextResponse.redirect(`${getPublicUrl()}/login?next=/account/connections`);
  const jar = await cookies();
  const stateCookie = jar.get(GITHUB_STATE_COOKIE)?.value;
  // One attempt per cookie: a replayed callback finds no state.
  jar.delete({ name: GITHUB_STATE_COOKIE, path: "/account/connections/github" });
  try {
    await completeGithubConnect(user.id, new URL(request.url).searchParams, stateCookie);
    return back("github=connected");
  } catch (error) {
    if (error instanceof GithubConnectError) return back(`github_error=${error.failure}`);
    throw error;
  }
}
