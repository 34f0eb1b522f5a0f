import { z } from "zod";

// Dates a client may send: from 1970 to the year 9000. Later ones (9999-12-31T23:59:59Z, 2^53 ms)
// parse in JavaScript but overflow on the way to the database or in the arithmetic done with them
// (an expiry plus a lifetime), so they are refused here, naming the field, with everything else
// that is not a date.

export const MIN_DATE = new Date("1970-01-01T00:00:00.000Z");
export const MAX_DATE = new Date("9000-01-01T00:00:00.000Z");

const inRange = (d: Date) => !Number.isNaN(d.getTime()) && d >= MIN_DATE && d < MAX_DATE;

/** A date or date-time (ISO 8601, or epoch milliseconds), between 1970 and 9000. */
export function dateSchema(field = "the date") {
  return z.coerce
    .date({ error: `Use a date or date-time for ${field} (ISO 8601).` })
    .refine(inRange, `Use a date between 1970 and 9000 for ${field}.`);
}
