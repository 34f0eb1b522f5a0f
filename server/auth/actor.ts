import "server-only";
import type { Caller } from "./caller";

/** How a caller appears in audit events and history rows. */
export function actorOf(caller: Caller) {
  return { type: caller.type, id: caller.id, label: caller.type === "user" ? caller.email : caller.clientId } as const;
}
