import "server-only";
import argon2 from "argon2";

// OWASP's argon2id recommendation (m=19 MiB, t=2, p=1) is the floor; these are argon2's defaults,
// above it: m=64 MiB, t=3, p=4.
const OPTIONS = { type: argon2.argon2id } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

// Verified when the email is unknown, so that a miss costs as long as a hit.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  if (!hash) {
    dummyHash ??= hashPassword("mandate-timing-equaliser");
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return argon2.verify(hash, password).catch(() => false);
}
