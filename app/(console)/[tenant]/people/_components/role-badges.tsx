import { Badge } from "@/components/ui/badge";
import { GLOBAL_ROLE_LABELS, type GlobalRoleName, MEMBER_ROLE_LABELS, type MemberRole } from "@/lib/schemas/users";

/** A person's roles: the one held across every tenant first, then one per tenant. */
export function RoleBadges({
  globalRole,
  memberships,
  tenantId,
}: {
  globalRole: GlobalRoleName | null;
  memberships: { tenant: { id: string; name: string }; role: MemberRole }[];
  /** When set, only the role in this tenant is shown (with the global one). */
  tenantId?: string;
}) {
  const shown = tenantId ? memberships.filter((m) => m.tenant.id === tenantId) : memberships;
  return (
    <span className="flex flex-wrap gap-1">
      {globalRole ? <Badge tone="amber">{GLOBAL_ROLE_LABELS[globalRole]}</Badge> : null}
      {shown.map((m) => (
        <Badge key={m.tenant.id} tone={m.role === "owner" ? "indigo" : "gray"}>
          {tenantId ? MEMBER_ROLE_LABELS[m.role] : `${m.tenant.name} · ${MEMBER_ROLE_LABELS[m.role]}`}
        </Badge>
      ))}
      {!globalRole && shown.length === 0 ? <span className="text-muted">No role</span> : null}
    </span>
  );
}
