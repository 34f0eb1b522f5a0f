import { Badge } from "./badge";

const RISK_TONE = { low: "gray", medium: "amber", high: "red" } as const;

export function RiskBadge({ risk }: { risk: keyof typeof RISK_TONE }) {
  return <Badge tone={RISK_TONE[risk]}>{risk}</Badge>;
}
