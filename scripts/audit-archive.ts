// npm run audit:archive -- --before 2026-01-01 --by admin@example.com: retention. Moves every audit
// event up to the last signed checkpoint taken before the date into
// DATA_DIR/audit-archive/segment-<from>-<to>.ndjson (verifiable offline with npm run audit:verify
// -- --file), then removes them from the database as one segment, recorded as an event by the
// security admin named with --by. Copy the file to write-once storage.
import { EnvError } from "../lib/env";

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

try {
  const before = new Date(option("--before") ?? "");
  const by = option("--by");
  if (Number.isNaN(before.getTime()) || !by) {
    console.error("Usage: npm run audit:archive -- --before <date> --by <a security admin's email>");
    process.exit(2);
  }
  const { database, installDatabase } = await import("../server/db");
  const { loadUserCaller } = await import("../server/auth/caller");
  const { archiveAuditSegment } = await import("../server/audit-log/archive");
  const db = await database();
  try {
    const user = await db.prisma.user.findUnique({ where: { email: by.toLowerCase() } });
    const caller = user ? await loadUserCaller(db.prisma, user.id) : null;
    if (!caller) throw new Error(`No active user ${by}.`);
    const segment = await archiveAuditSegment(caller, { before });
    console.log(
      `Archived events ${segment.fromSeq}–${segment.toSeq} (${segment.events}) to ${segment.file} (sha256 ${segment.fileSha256}).`,
    );
  } finally {
    installDatabase(undefined);
    await db.close();
  }
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error instanceof Error ? error.message : error);
  process.exit(1);
}
