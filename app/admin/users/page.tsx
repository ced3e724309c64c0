import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/page-header";
import { requireAdmin } from "@/lib/auth/session";
import { listUsers } from "@/lib/users/queries";
import { CreateUserForm } from "./_components/create-user-form";
import { UserRowActions } from "./_components/user-row-actions";

export const metadata: Metadata = { title: "Users" };

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium" });

export default async function UsersPage() {
  const admin = await requireAdmin();
  const users = await listUsers();
  return (
    <>
      <PageHeader
        title="Users"
        description="People who can sign in to this hub. Disabling someone ends their sessions and keys at once."
      />
      <section className="card mb-8">
        <h2 className="mb-4 font-medium">Add a person</h2>
        <CreateUserForm />
      </section>
      <section className="card overflow-x-auto p-0" aria-label="People">
        {users.length === 0 ? (
          <p className="p-5 text-sm text-slate-600">No users yet. Add the first person above.</p>
        ) : (
          // On a phone each row becomes a small card (no sideways scrolling to reach the actions).
          <table className="w-full text-left text-sm max-sm:block sm:min-w-[40rem]">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500 max-sm:hidden">
              <tr>
                <th className="px-4 py-3">Person</th>
                <th className="px-4 py-3">Role</th>
                <th className="px-4 py-3">Status</th>
                <th className="px-4 py-3">Since</th>
                <th className="px-4 py-3 text-right">Actions</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 max-sm:block">
              {users.map((user) => (
                <tr
                  key={user.id}
                  data-testid="user-row"
                  data-email={user.email}
                  className="max-sm:flex max-sm:flex-wrap max-sm:items-center max-sm:gap-x-3 max-sm:gap-y-2 max-sm:px-4 max-sm:py-3"
                >
                  <td className="px-4 py-3 max-sm:w-full max-sm:p-0">
                    <div className="font-medium break-all">{user.email}</div>
                    {user.name && <div className="text-xs text-slate-500">{user.name}</div>}
                  </td>
                  <td className="px-4 py-3 max-sm:p-0">{user.role === "admin" ? "Admin" : "User"}</td>
                  <td className="px-4 py-3 max-sm:p-0">
                    {user.disabled ? (
                      <span className="rounded bg-red-50 px-2 py-0.5 text-xs text-red-700">Disabled</span>
                    ) : (
                      <span className="rounded bg-green-50 px-2 py-0.5 text-xs text-green-700">Active</span>
                    )}
                  </td>
                  <td className="px-4 py-3 text-slate-600 max-sm:p-0">
                    <span className="sm:hidden">since </span>
                    {dateFormat.format(user.createdAt)}
                  </td>
                  <td className="px-4 py-3 max-sm:w-full max-sm:p-0">
                    <UserRowActions
                      userId={user.id}
                      email={user.email}
                      role={user.role}
                      disabled={user.disabled}
                      isSelf={user.id === admin.id}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
