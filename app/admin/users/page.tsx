import type { Metadata } from "next";
import Link from "next/link";
import { formatRelative } from "@/app/_components/format";
import { PageHeader } from "@/app/_components/page-header";
import { RevokeKeyButton } from "@/app/_components/revoke-key-button";
import { requireAdmin } from "@/lib/auth/session";
import { listMembershipsByUser } from "@/lib/groups/memberships";
import { listActiveKeysByUser } from "@/lib/keys/queries";
import { listUsers } from "@/lib/users/queries";
import { CreateUserForm } from "./_components/create-user-form";
import { UserRowActions } from "./_components/user-row-actions";
import { revokeUserKeyAction } from "./actions";

export const metadata: Metadata = { title: "Users" };

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium" });

// Below lg the table stacks: one block per person, each cell labelled from its data-label.
const cell =
  "flex gap-3 py-1 before:w-16 before:shrink-0 before:pt-0.5 before:text-xs before:uppercase before:tracking-wide before:text-slate-500 before:content-[attr(data-label)] lg:table-cell lg:px-4 lg:py-3 lg:before:content-none";

export default async function UsersPage() {
  const admin = await requireAdmin();
  const [users, memberships, keys] = await Promise.all([
    listUsers(),
    listMembershipsByUser(),
    listActiveKeysByUser(),
  ]);
  const now = new Date();
  return (
    <>
      <PageHeader
        title="Users"
        description="People who can sign in to this hub, their groups and their keys. Disabling someone ends their sessions and keys at once."
      />
      <section className="card mb-8">
        <h2 className="mb-4 font-medium">Add a person</h2>
        <CreateUserForm />
      </section>
      <section className="card overflow-x-auto p-0" aria-label="People">
        {users.length === 0 ? (
          <p className="p-5 text-sm text-slate-600">No users yet. Add the first person above.</p>
        ) : (
          <table className="block w-full text-left text-sm lg:table">
            <thead className="hidden border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500 lg:table-header-group">
              <tr>
                <th className="px-4 py-3">Person</th>
                <th className="px-4 py-3">Role</th>
                <th className="px-4 py-3">Status</th>
                <th className="px-4 py-3">Groups</th>
                <th className="px-4 py-3">Keys</th>
                <th className="px-4 py-3">Since</th>
                <th className="px-4 py-3 text-right">Actions</th>
              </tr>
            </thead>
            <tbody className="block divide-y divide-slate-100 lg:table-row-group">
              {users.map((user) => (
                <tr
                  key={user.id}
                  className="block px-4 py-3 align-top lg:table-row lg:p-0"
                  data-testid="user-row"
                  data-email={user.email}
                >
                  <td className="block py-1 lg:table-cell lg:px-4 lg:py-3">
                    <div className="font-medium break-all lg:break-normal">{user.email}</div>
                    {user.name && <div className="text-xs text-slate-500">{user.name}</div>}
                  </td>
                  <td className={cell} data-label="Role">
                    {user.role === "admin" ? "Admin" : "User"}
                  </td>
                  <td className={cell} data-label="Status">
                    {user.disabled ? (
                      <span className="rounded bg-red-50 px-2 py-0.5 text-xs text-red-700">Disabled</span>
                    ) : (
                      <span className="rounded bg-green-50 px-2 py-0.5 text-xs text-green-700">Active</span>
                    )}
                  </td>
                  <td className={cell} data-label="Groups" data-testid="user-groups">
                    {(memberships.get(user.id) ?? []).length === 0 ? (
                      <span className="text-xs text-slate-500">None</span>
                    ) : (
                      <ul className="flex min-w-0 flex-1 flex-wrap gap-1">
                        {(memberships.get(user.id) ?? []).map((m) => (
                          <li key={m.groupName}>
                            <Link
                              href={`/admin/groups/${encodeURIComponent(m.groupName)}`}
                              className={`wrap-anywhere rounded px-1.5 py-0.5 text-xs ${m.active ? "bg-green-50 text-green-800" : "bg-slate-100 text-slate-600"}`}
                              title={m.active ? "Active" : "Inactive"}
                            >
                              {m.groupName}
                              {!m.active && " (inactive)"}
                            </Link>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td className={cell} data-label="Keys" data-testid="user-keys">
                    {(keys.get(user.id) ?? []).length === 0 ? (
                      <span className="text-xs text-slate-500">None</span>
                    ) : (
                      <ul className="min-w-0 flex-1 space-y-1.5">
                        {(keys.get(user.id) ?? []).map((key) => (
                          <li
                            key={key.id}
                            className="flex items-start justify-between gap-2"
                            data-testid="user-key"
                            data-name={key.name}
                          >
                            <span className="min-w-0">
                              <span className="block truncate text-xs font-medium">{key.name}</span>
                              <span className="block text-xs text-slate-500">
                                <code className="font-mono">{key.partialKey}</code> ·{" "}
                                {key.expiresAt && key.expiresAt <= now
                                  ? "expired"
                                  : key.lastUsedAt
                                    ? `used ${formatRelative(key.lastUsedAt, now)}`
                                    : "never used"}
                              </span>
                            </span>
                            <RevokeKeyButton
                              keyId={key.id}
                              label={`${user.email}'s key ${key.name}`}
                              revoke={revokeUserKeyAction}
                            />
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td className={`${cell} text-slate-600 lg:whitespace-nowrap`} data-label="Since">
                    {dateFormat.format(user.createdAt)}
                  </td>
                  <td className="block pt-2 lg:table-cell lg:px-4 lg:py-3">
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
