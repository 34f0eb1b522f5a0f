import "server-only";
import { statement } from "../db/statement";

// The grants' hot statement: "last used", written from introspection, refresh and decisions.

/** Sets a grant's last use ($2) unless it was set after $3 (a minute ago): instances agree. */
export const TOUCH_GRANT = statement<never>(
  "grants_touch",
  `UPDATE grants SET last_used_at = $2
    WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)`,
);
