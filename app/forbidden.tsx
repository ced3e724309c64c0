import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-lg px-4 py-16 text-center">
      <h1 className="text-xl font-semibold">Admins only</h1>
      <p className="mt-2 text-sm text-slate-600">
        This page is for the hub&rsquo;s admins. If you need access, ask one of them.
      </p>
      <Link href="/" className="btn-primary mt-6">
        Back to your home page
      </Link>
    </main>
  );
}
