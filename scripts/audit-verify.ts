// npm run audit:verify: verifies the audit chain in the configured database (DATABASE_URL, or the
// embedded one in DATA_DIR) from its first event (or the end of the last archived segment) to its
// head, and every signed checkpoint; names the first broken link and exits 1 if there is one.
// npm run audit:verify -- --file export.ndjson [--key <public key>]: verifies an NDJSON export
// offline, with the public key from GET /api/v1/audit/verify (else the one the file names).
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { verifyExport } from "../lib/audit/verify-export";
import { EnvError } from "../lib/env";

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

try {
  const file = option("--file");
  if (file) {
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
    const result = await verifyExport(lines, option("--key"));
    console.log(JSON.stringify(result, null, 2));
    process.exit(result.ok ? 0 : 1);
  }
  const { database, installDatabase } = await import("../server/db");
  const { verifyChain } = await import("../server/audit-log/verify");
  const db = await database();
  try {
    const result = await verifyChain(db.prisma, (n) => process.stderr.write(`\r  … ${n.toLocaleString("en")} events`));
    process.stderr.write("\n");
    console.log(JSON.stringify(result, null, 2));
    if (!result.ok) {
      console.error(
        result.broken
          ? `The audit chain is broken at event ${result.broken.seq}: ${result.broken.problem}.`
          : `${result.unchained} event(s) are not in the chain.`,
      );
      process.exitCode = 1;
    } else {
      console.log(
        `The audit chain is intact: ${result.events.toLocaleString("en")} events, ${result.checkpoints.valid} signed checkpoints.`,
      );
    }
  } finally {
    installDatabase(undefined);
    await db.close();
  }
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
}
