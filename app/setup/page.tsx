import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { isSetupComplete } from "@/lib/setup/setup-code";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "First-run setup" };

// Exists only until the first admin does; after that the page is gone.
export default async function SetupPage() {
  await connection();
  if (await isSetupComplete()) notFound();
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-md space-y-6">
        <div>
          <h1 className="text-2xl font-semibold">Set up MCPHub</h1>
          <p className="mt-1 text-sm text-slate-600">
            Create the first admin. The one-time setup code is in the log of the server you just started (look
            for &ldquo;setup code&rdquo;); restarting the server prints a new one.
          </p>
        </div>
        <div className="card">
          <SetupForm />
        </div>
      </div>
    </main>
  );
}
