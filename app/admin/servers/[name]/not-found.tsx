import Link from "next/link";

export default function ServerNotFound() {
  return (
    <div className="card mx-auto max-w-lg text-center">
      <h1 className="text-lg font-semibold">No such server</h1>
      <p className="mt-2 text-sm text-slate-600">It may have been deleted or renamed.</p>
      <Link href="/admin/servers" className="btn-primary mt-5">
        Back to the servers
      </Link>
    </div>
  );
}
