"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatDate, formatUtc } from "@/lib/format";
import type { ConnectedClientRow } from "@/server/agents/connected-clients";
import { setClientApprovalAction } from "../actions";

const APPROVAL = {
  pending: { tone: "amber", label: "Awaiting approval" },
  approved: { tone: "green", label: "Approved" },
  blocked: { tone: "red", label: "Blocked" },
} as const;

const HEADERS = ["Client", "Identified by", "Let in by", "Live grants", "Standing"];

export function McpClientsTable({
  tenantSlug,
  clients,
  canApprove,
}: {
  tenantSlug: string;
  clients: ConnectedClientRow[];
  canApprove: boolean;
}) {
  const router = useRouter();
  const [acting, setActing] = useState<{ client: ConnectedClientRow; to: "approved" | "blocked" } | null>(null);
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-left text-sm" aria-label="MCP clients">
        <thead className="bg-slate-50 text-xs text-muted uppercase dark:bg-slate-800/50">
          <tr>
            {HEADERS.map((h) => (
              <th key={h} scope="col" className="px-3 py-2 font-medium">
                {h}
              </th>
            ))}
            <th scope="col" className="px-3 py-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {clients.map((c) => (
            <tr key={c.id} data-testid="mcp-client-row">
              <td className="max-w-[15rem] px-3 py-2.5">
                <Link
                  href={`/${tenantSlug}/agents/${c.id}`}
                  className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                >
                  {c.name}
                </Link>
                <code className="block truncate font-mono text-xs text-muted" title={c.clientId}>
                  {c.clientId}
                </code>
              </td>
              <td className="px-3 py-2.5 text-slate-600 dark:text-slate-400">
                {c.source === "metadata_document" ? "Metadata document" : "Dynamic registration"}
                {c.metadataAt ? (
                  <span className="block text-xs whitespace-nowrap text-muted">{formatUtc(c.metadataAt)}</span>
                ) : null}
              </td>
              <td className="px-3 py-2.5 text-slate-600 dark:text-slate-400">
                {c.owner.name}
                <span className="block text-xs text-muted">
                  {c.owner.email} · {formatDate(c.connectedAt)}
                </span>
              </td>
              <td className="px-3 py-2.5 tabular-nums">
                <Link href={`/${tenantSlug}/agents/${c.id}/grants`} className="hover:underline">
                  {c.liveGrants.toLocaleString("en")}
                </Link>
              </td>
              <td className="px-3 py-2.5 whitespace-nowrap">
                <Badge tone={APPROVAL[c.approval].tone}>{APPROVAL[c.approval].label}</Badge>
                {c.approvalBy ? <span className="block text-xs text-muted">by {c.approvalBy}</span> : null}
              </td>
              <td className="px-3 py-2.5 text-right whitespace-nowrap">
                {canApprove && c.approval !== "approved" ? (
                  <Button
                    variant="ghost"
                    onClick={() => setActing({ client: c, to: "approved" })}
                    aria-label={`Approve ${c.name}`}
                  >
                    Approve
                  </Button>
                ) : null}
                {canApprove && c.approval !== "blocked" ? (
                  <Button
                    variant="ghost"
                    onClick={() => setActing({ client: c, to: "blocked" })}
                    aria-label={`Block ${c.name}`}
                  >
                    Block
                  </Button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ConfirmDialog
        open={!!acting}
        title={acting ? `${acting.to === "approved" ? "Approve" : "Block"} ${acting.client.name}?` : ""}
        description={acting ? warning(acting.client, acting.to) : ""}
        confirmLabel={acting?.to === "blocked" ? "Block client" : "Approve client"}
        tone={acting?.to === "blocked" ? "danger" : "primary"}
        onClose={() => setActing(null)}
        onConfirm={async (reason) => {
          if (!acting) return null;
          const r = await setClientApprovalAction(acting.client.id, acting.to, reason);
          if (!r.ok) return r.fieldErrors?.reason?.[0] ?? r.error;
          router.refresh();
          return null;
        }}
      />
    </div>
  );
}

function warning(client: ConnectedClientRow, to: "approved" | "blocked"): string {
  if (to === "approved") {
    return "It may then be granted the scopes of the roles you give it on its agent page, besides the open ones. People still consent to each grant.";
  }
  const grants =
    client.liveGrants === 0
      ? "It holds no live grants here."
      : `Its ${client.liveGrants === 1 ? "live grant" : `${client.liveGrants} live grants`} and every token issued under ${client.liveGrants === 1 ? "it" : "them"} stop working at once.`;
  return `${grants} No one in this tenant can let it in again until it is approved.`;
}
