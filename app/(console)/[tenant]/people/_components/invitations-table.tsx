"use client";

import type { ColumnDef } from "@tanstack/react-table";
import { MailOpen } from "lucide-react";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { DataTable } from "@/components/data-table/data-table";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormError } from "@/components/ui/form-error";
import { Modal } from "@/components/ui/modal";
import { formatAgo, formatUtc } from "@/lib/format";
import type { CursorPage } from "@/lib/schemas/pagination";
import { GLOBAL_ROLE_LABELS, type InvitationStatus, MEMBER_ROLE_LABELS } from "@/lib/schemas/users";
import type { InvitationView } from "@/server/users/invitations";
import { type IssuedLink, resendInvitationAction, revokeInvitationAction } from "../actions";
import { IssuedLinkNotice } from "./issued-link";

const TONE: Record<InvitationStatus, "indigo" | "green" | "gray" | "red"> = {
  pending: "indigo",
  accepted: "green",
  expired: "gray",
  revoked: "red",
};

export function InvitationsTable({ page, now }: { page: CursorPage<InvitationView>; now: Date }) {
  const router = useRouter();
  const [revoking, setRevoking] = useState<InvitationView | null>(null);
  const [issued, setIssued] = useState<IssuedLink | null>(null);
  const [error, setError] = useState<string | null>(null);

  const columns = useMemo<ColumnDef<InvitationView, unknown>[]>(
    () => [
      {
        id: "email",
        header: "Invited",
        enableHiding: false,
        cell: ({ row }) => <span className="font-medium">{row.original.email}</span>,
      },
      {
        id: "access",
        header: "As",
        cell: ({ row }) =>
          row.original.globalRole
            ? GLOBAL_ROLE_LABELS[row.original.globalRole]
            : `${MEMBER_ROLE_LABELS[row.original.role ?? "member"]} of ${row.original.tenant?.name ?? "a tenant"}`,
      },
      { id: "invited_by", header: "Invited by", cell: ({ row }) => row.original.invitedBy },
      {
        id: "sent",
        header: "Sent",
        cell: ({ row }) => (
          <span title={formatUtc(row.original.sentAt)}>
            {formatAgo(row.original.sentAt, now)}
            {row.original.sendCount > 1 ? ` (${row.original.sendCount}×)` : ""}
          </span>
        ),
      },
      {
        id: "expires",
        header: "Expires",
        cell: ({ row }) => <span title={formatUtc(row.original.expiresAt)}>{formatUtc(row.original.expiresAt)}</span>,
      },
      {
        id: "status",
        header: "Status",
        cell: ({ row }) => <Badge tone={TONE[row.original.status]}>{row.original.status}</Badge>,
      },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableHiding: false,
        cell: ({ row }) =>
          row.original.status === "pending" || row.original.status === "expired" ? (
            <span className="flex justify-end gap-1">
              <Button
                variant="ghost"
                aria-label={`Resend the invitation to ${row.original.email}`}
                onClick={async () => {
                  setError(null);
                  const r = await resendInvitationAction(row.original.id);
                  if (!r.ok) return setError(r.error);
                  setIssued(r.data);
                  router.refresh();
                }}
              >
                Resend
              </Button>
              {row.original.status === "pending" ? (
                <Button
                  variant="ghost"
                  aria-label={`Revoke the invitation to ${row.original.email}`}
                  onClick={() => setRevoking(row.original)}
                >
                  Revoke
                </Button>
              ) : null}
            </span>
          ) : null,
      },
    ],
    [now, router],
  );

  return (
    <>
      <FormError message={error} />
      <DataTable
        label="Invitations"
        columns={columns}
        page={page}
        filters={[
          {
            param: "status",
            label: "Status",
            emptyLabel: "Pending",
            options: [
              { value: "expired", label: "Expired" },
              { value: "accepted", label: "Accepted" },
              { value: "revoked", label: "Revoked" },
              { value: "all", label: "All" },
            ],
          },
        ]}
        searchable={false}
        empty={{ icon: MailOpen, message: "No invitation is waiting for an answer." }}
      />
      <ConfirmDialog
        open={!!revoking}
        title={`Revoke the invitation to ${revoking?.email ?? ""}?`}
        description="The link stops working at once. You can invite them again later."
        confirmLabel="Revoke invitation"
        tone="danger"
        onClose={() => setRevoking(null)}
        onConfirm={async (reason) => {
          if (!revoking) return null;
          const r = await revokeInvitationAction(revoking.id, reason);
          if (!r.ok) return r.error;
          router.refresh();
          return null;
        }}
      />
      <Modal open={!!issued} title="New invitation link" onClose={() => setIssued(null)} wide>
        {issued ? <IssuedLinkNotice link={issued} /> : null}
        <div className="flex justify-end">
          <Button onClick={() => setIssued(null)}>Done</Button>
        </div>
      </Modal>
    </>
  );
}
