// A self-signed certificate for 127.0.0.1, made with openssl, for what the tests serve over https
// on loopback (an MCP client's metadata document): the browser tests, the conformance run and the
// integration tests each make theirs with this, into a folder of their own.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";

/** Paths of cert.pem and key.pem in `dir`, made there unless a fresh pair (under a day old) is. */
export function loopbackCertificate(dir) {
  const cert = path.join(dir, "cert.pem");
  const key = path.join(dir, "key.pem");
  if (existsSync(cert) && existsSync(key) && Date.now() - statSync(cert).mtimeMs < 86_400_000) return { cert, key };
  mkdirSync(dir, { recursive: true });
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "3",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      key,
      "-out",
      cert,
    ],
    { stdio: "ignore" },
  );
  return { cert, key };
}
