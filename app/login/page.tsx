import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getExternalSignInOptions } from "@/lib/auth/providers";
import { getSessionUser } from "@/lib/auth/session";
import { isSetupComplete } from "@/lib/setup/setup-code";
import { signInWithProvider } from "./actions";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

const providerErrors: Record<string, string> = {
  AccessDenied:
    "That account may not sign in here: it is disabled, or the provider did not confirm its email address.",
  Configuration: "Sign-in is misconfigured on the server. Ask an admin to check the log.",
  OAuthCallbackError: "The sign-in provider answered with an error. Try again.",
};

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string; error?: string }>;
}) {
  const { next, error } = await searchParams;
  if (await getSessionUser()) redirect(next?.startsWith("/") && !next.startsWith("//") ? next : "/");
  const setupPending = !(await isSetupComplete());
  const providers = getExternalSignInOptions();
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm space-y-6">
        <div className="text-center">
          <h1 className="text-2xl font-semibold">Sign in to MCPHub</h1>
          <p className="mt-1 text-sm text-slate-600">One MCP endpoint, with your own accounts.</p>
        </div>
        {setupPending && (
          <p className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">
            This hub has no admin yet.{" "}
            <Link href="/setup" className="font-medium underline">
              Finish the first-run setup
            </Link>{" "}
            with the code from the server log.
          </p>
        )}
        {error && (
          <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800">
            {providerErrors[error] ?? "Sign-in failed. Try again."}
          </p>
        )}
        <div className="card">
          <LoginForm next={next} />
        </div>
        {providers.length > 0 && (
          <div className="space-y-2">
            {providers.map((provider) => (
              <form key={provider.id} action={signInWithProvider}>
                <input type="hidden" name="provider" value={provider.id} />
                {next && <input type="hidden" name="next" value={next} />}
                <button type="submit" className="btn-secondary w-full">
                  Sign in with {provider.name}
                </button>
              </form>
            ))}
          </div>
        )}
        <p className="text-center text-xs text-slate-500">
          No account? Ask an admin of this hub to create one for you.
        </p>
      </div>
    </main>
  );
}
