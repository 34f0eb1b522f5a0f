// What a decision request may name: shared by the request schema (lib) and the Cedar schema
// (server/policies/cedar-schema.ts).
export const RESOURCE_TYPE_LIST = [
  "Document",
  "Email",
  "Payment",
  "Contact",
  "CalendarEvent",
  "Ticket",
  "Record",
  "File",
  "Message",
  "Resource",
] as const;

export const CONTEXT_FIELD_TYPES = {
  amount: "Long",
  currency: "String",
  recipient: "String",
  recipient_domain: "String",
  purpose: "String",
  count: "Long",
} as const;
