import { RESOURCE_TYPE_LIST } from "@/lib/schemas/decision-vocabulary";

export type ResourceType = (typeof RESOURCE_TYPE_LIST)[number];

// Mandate's Cedar schema lets every action apply to every resource type (an action is a scope
// name, and scopes are the tenant's own), so nothing in the schema ties payments.create to
// Payment. The name does: a segment of the action that names a type ("payments", "email",
// "calendar", "docs") proposes it. Those come first, in the order the name gives them; the other
// types follow in the vocabulary's order, so every type can still be chosen.

function stem(segment: string): string {
  return segment.length > 3 && segment.endsWith("s") ? segment.slice(0, -1) : segment;
}

/** Whether a segment of an action's name names this type (payments → Payment, calendar → CalendarEvent, mail → Email). */
function names(segment: string, type: ResourceType): boolean {
  const s = stem(segment);
  const t = type.toLowerCase();
  if (s === t || segment === t) return true;
  return (s.length >= 3 && t.startsWith(s)) || (s.length >= 4 && t.endsWith(s));
}

/** The resource types for simulating `action`: those its name suggests, then the rest. */
export function resourceTypesFor(action: string): { suggested: ResourceType[]; others: ResourceType[] } {
  const suggested: ResourceType[] = [];
  for (const segment of action.toLowerCase().split(/[^a-z0-9]+/)) {
    if (!segment) continue;
    for (const type of RESOURCE_TYPE_LIST) if (names(segment, type) && !suggested.includes(type)) suggested.push(type);
  }
  return { suggested, others: RESOURCE_TYPE_LIST.filter((t) => !suggested.includes(t)) };
}
