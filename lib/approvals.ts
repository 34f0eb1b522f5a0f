// How an approval request reads in the console: its context as labelled values and, once it is
// no longer pending, what became of it. Pure, so the page and its tests agree.

export type ApprovalStatus = "pending" | "approved" | "denied" | "used" | "expired";
export type AttributeValue = string | number | boolean;

const CONTEXT_LABELS: Record<string, string> = {
  amount: "Amount",
  currency: "Currency",
  recipient: "Recipient",
  recipient_domain: "Recipient domain",
  purpose: "Purpose",
  count: "Count",
};

const number = (value: AttributeValue) => (typeof value === "number" ? value.toLocaleString("en") : String(value));

/**
 * The context the agent gave, as label and value, known fields first: an amount carries its
 * currency ("4,800 EUR"); fields the console does not know keep their own names.
 */
export function contextRows(context: Record<string, AttributeValue>): { label: string; value: string }[] {
  const { amount, currency, ...rest } = context;
  const rows: { label: string; value: string }[] = [];
  if (amount !== undefined) rows.push({ label: "Amount", value: [number(amount), currency].filter(Boolean).join(" ") });
  else if (currency !== undefined) rows.push({ label: "Currency", value: String(currency) });
  const known = Object.keys(CONTEXT_LABELS).filter((k) => k in rest);
  const other = Object.keys(rest)
    .filter((k) => !(k in CONTEXT_LABELS))
    .sort();
  for (const key of [...known, ...other]) rows.push({ label: CONTEXT_LABELS[key] ?? key, value: number(rest[key]) });
  return rows;
}

/** Only flat JSON values can be shown (and are all the decision API accepts); anything else is dropped. */
export function flatRecord(value: unknown): Record<string, AttributeValue> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, AttributeValue] =>
        typeof entry[1] === "string" || typeof entry[1] === "number" || typeof entry[1] === "boolean",
    ),
  );
}

export interface Outcome {
  label: string;
  tone: "green" | "red" | "gray" | "amber";
  /** Whether the agent used the approval: the second line under the outcome. */
  use: string | null;
}

/**
 * What became of a request that is no longer pending. An approval allows the same request once
 * until usableUntil; past that, unused, it allows nothing though its status still reads approved.
 */
export function outcomeOf(
  request: { status: ApprovalStatus; usableUntil: Date | string | null; usedAt: Date | string | null },
  now: Date | string,
): Outcome {
  switch (request.status) {
    case "used":
      return { label: "Approved", tone: "green", use: "Used by the agent" };
    case "approved":
      return request.usableUntil && new Date(request.usableUntil) > new Date(now)
        ? { label: "Approved", tone: "green", use: "Not used yet" }
        : { label: "Approved", tone: "gray", use: "Lapsed unused" };
    case "denied":
      return { label: "Denied", tone: "red", use: null };
    case "expired":
      return { label: "Expired", tone: "gray", use: null };
    default:
      return { label: "Pending", tone: "amber", use: null };
  }
}
