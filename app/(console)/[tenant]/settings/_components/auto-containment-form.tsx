"use client";

import { setAutoContainmentAction } from "../actions";
import { CheckboxSetting } from "./checkbox-setting";

/** The tenant's optional rule: suspend an agent at once on a high-severity anomaly. */
export function AutoContainmentForm({
  tenantId,
  enabled,
  canWrite,
}: {
  tenantId: string;
  enabled: boolean;
  canWrite: boolean;
}) {
  return (
    <CheckboxSetting
      checked={enabled}
      canWrite={canWrite}
      save={(next) => setAutoContainmentAction(tenantId, next)}
      label="Suspend an agent automatically on a high-severity anomaly"
    >
      Its tokens stop working at once; the anomaly is marked contained by the rule, and someone resumes the agent after
      looking.
    </CheckboxSetting>
  );
}
