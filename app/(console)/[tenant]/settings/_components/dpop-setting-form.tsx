"use client";

import { updateTenantSettingsAction } from "../actions";
import { CheckboxSetting } from "./checkbox-setting";

/** The tenant's rule: every agent's access tokens must be bound to a key (DPoP, RFC 9449). */
export function DpopSettingForm({
  tenantId,
  required,
  canWrite,
}: {
  tenantId: string;
  required: boolean;
  canWrite: boolean;
}) {
  return (
    <CheckboxSetting
      checked={required}
      canWrite={canWrite}
      save={(next) => updateTenantSettingsAction(tenantId, { dpop_required: next })}
      label="Require DPoP-bound tokens of every agent"
    >
      Token requests without a DPoP proof are refused, and decisions deny tokens that are not bound to a key, from the
      next request. Agents can also be required to one by one.
    </CheckboxSetting>
  );
}
