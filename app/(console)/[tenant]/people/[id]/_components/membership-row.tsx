"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { MEMBER_ROLE_LABELS, MEMBER_ROLES, type MemberRole } from "@/lib/schemas/users";
import { HandoverDialog, handoverError } from "../../_components/handover-dialog";
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
        <HandoverDialog
          open={removing}
          title={`Remove ${personName} from ${tenant.name}?`}
          agents={ownsAgentsThere}
          transferLabel={`They own ${ownsAgentsThere === 1 ? "an agent" : `${ownsAgentsThere} agents`} here: hand ${ownsAgentsThere === 1 ? "it" : "them"} to (email)`}
          confirmLabel="Remove from tenant"
          pendingLabel="Removing…"
          onClose={() => setRemoving(false)}
          onConfirm={async (input) => {
            const r = await removeMemberAction(tenant.id, userId, input);
            if (!r.ok) return handoverError(r);
            router.refresh();
            return null;
          }}
        >
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Their grants in {tenant.name} are revoked with their tokens, and they lose access to it at once.
          </p>
        </HandoverDialog>
      </td>
    </tr>
  );
}
