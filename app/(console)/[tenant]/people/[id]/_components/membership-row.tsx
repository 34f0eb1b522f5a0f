"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";
import { MEMBER_ROLE_LABELS, MEMBER_ROLES, type MemberRole } from "@/lib/schemas/users";
import { changeMemberRoleAction, removeMemberAction } from "../../actions";

/** One tenant the person belongs to: their role (changeable by those who manage members) and removal. */
export function MembershipRow({
  tenant,
  userId,
  personName,
  role,
  canManage,
  ownsAgentsThere,
}: {
  tenant: { id: string; slug: string; name: string };
  userId: string;
  personName: string;
  role: MemberRole;
  canManage: boolean;
  ownsAgentsThere: number;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [reason, setReason] = useState("");
  const [transferTo, setTransferTo] = useState("");
  return (
    <tr>
      <td className="px-5 py-2.5 font-medium">{tenant.name}</td>
      <td className="px-5 py-2.5">
        {canManage ? (
          <label className="text-sm">
            <span className="sr-only">
              {personName}&apos;s role in {tenant.name}
            </span>
            <select
              value={role}
              disabled={pending}
              onChange={async (e) => {
                setPending(true);
                setError(null);
                const r = await changeMemberRoleAction(tenant.id, userId, e.target.value);
                setPending(false);
                if (!r.ok) setError(r.error);
                router.refresh();
              }}
              className="rounded-md bg-white py-1.5 pr-8 pl-2 text-sm ring-1 ring-slate-300 focus:ring-2 focus:ring-indigo-600 focus:outline-none dark:bg-slate-900 dark:ring-slate-700"
            >
              {MEMBER_ROLES.map((r) => (
                <option key={r} value={r}>
                  {MEMBER_ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </label>
        ) : (
          MEMBER_ROLE_LABELS[role]
        )}
        {error ? (
          <p role="alert" className="mt-1 text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        ) : null}
      </td>
      <td className="px-5 py-2.5 text-right">
        {canManage ? (
          <Button
            variant="ghost"
            onClick={() => setRemoving(true)}
            aria-label={`Remove ${personName} from ${tenant.name}`}
          >
            Remove
          </Button>
        ) : null}
        <Modal open={removing} title={`Remove ${personName} from ${tenant.name}?`} onClose={() => setRemoving(false)}>
          <form
            className="space-y-4 text-left"
            onSubmit={async (e) => {
              e.preventDefault();
              setPending(true);
              const r = await removeMemberAction(tenant.id, userId, {
                reason,
                ...(transferTo.trim() ? { transfer_agents_to: transferTo.trim() } : {}),
              });
              setPending(false);
              if (!r.ok)
                return setError(r.fieldErrors?.transfer_agents_to?.[0] ?? r.fieldErrors?.reason?.[0] ?? r.error);
              setRemoving(false);
              router.refresh();
            }}
          >
            <p className="text-sm text-slate-600 dark:text-slate-400">
              Their grants in {tenant.name} are revoked with their tokens, and they lose access to it at once.
            </p>
            {ownsAgentsThere ? (
              <label className="block text-sm font-medium">
                They own {ownsAgentsThere === 1 ? "an agent" : `${ownsAgentsThere} agents`} here: hand{" "}
                {ownsAgentsThere === 1 ? "it" : "them"} to (email)
                <input
                  value={transferTo}
                  onChange={(e) => setTransferTo(e.target.value)}
                  type="email"
                  className="mt-1 block w-full rounded-md bg-white px-3 py-2 text-sm font-normal ring-1 ring-slate-300 focus:ring-2 focus:ring-indigo-600 focus:outline-none dark:bg-slate-950 dark:ring-slate-700"
                />
              </label>
            ) : null}
            <label className="block text-sm font-medium">
              Reason
              <textarea
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                rows={2}
                className="mt-1 block w-full rounded-md bg-white px-3 py-2 text-sm font-normal ring-1 ring-slate-300 focus:ring-2 focus:ring-indigo-600 focus:outline-none dark:bg-slate-950 dark:ring-slate-700"
              />
            </label>
            {error ? (
              <p role="alert" className="text-sm text-red-600 dark:text-red-400">
                {error}
              </p>
            ) : null}
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={() => setRemoving(false)}>
                Cancel
              </Button>
              <Button type="submit" variant="danger" disabled={pending || reason.trim().length < 3}>
                {pending ? "Removing…" : "Remove from tenant"}
              </Button>
            </div>
          </form>
        </Modal>
      </td>
    </tr>
  );
}
