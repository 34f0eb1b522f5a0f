// An https server on loopback with a certificate made for the test, trusted by this process only:
// what a client metadata document (or any document Mandate fetches on someone's behalf) is
// served from in tests. The guarded fetcher still refuses loopback unless OUTBOUND_ALLOW names it.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { RequestListener } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import tls from "node:tls";
import { loopbackCertificate as makeCertificate } from "../scripts/loopback-certificate.mjs";

export interface HttpsTestServer {
  origin: string;
  close(): Promise<void>;
}

let certificate: { key: string; cert: string } | undefined;

/** A certificate for 127.0.0.1 (scripts/loopback-certificate.mjs), made once per test file. */
function loopbackCertificate() {
  if (certificate) return certificate;
  const dir = mkdtempSync(path.join(tmpdir(), "mandate-tls-"));
  try {
    const files = makeCertificate(dir);
    certificate = { key: readFileSync(files.key, "utf8"), cert: readFileSync(files.cert, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Trusted by this process's default store (Node 24), as a private CA would be in production.
  // (Node 24's API; the installed type definitions predate it.)
  const store = tls as unknown as {
    getCACertificates(kind: "default"): string[];
    setDefaultCACertificates(certs: string[]): void;
  };
  store.setDefaultCACertificates([...store.getCACertificates("default"), certificate.cert]);
  return certificate;
}

export async function startHttpsServer(handler: RequestListener): Promise<HttpsTestServer> {
  const server = createServer(loopbackCertificate(), handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
