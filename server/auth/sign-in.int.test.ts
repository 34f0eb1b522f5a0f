import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TooManyRequestsError, ValidationError } from "@/lib/errors";
import { makeUser, TEST_PASSWORD, unique } from "@/tests/factories";
import { prisma } from "../db";
import { loadSessionCaller, loadUserCaller } from "./caller";
import { endSession, purgeOldSessions, startSession } from "./sessions";
import { InvalidCredentialsError, signInWithPassword, signInWithSso } from "./sign-in";
import { THROTTLE } from "./throttle";

const ip = () => `203.0.113.${Math.floor(Math.random() * 250) + 1}`;

// The per-address limit is 50 in production; 12 here says the same with a quarter of the argon2
// work (each checked attempt costs a hash).
const PRODUCTION_MAX_PER_IP = THROTTLE.maxPerIp;
beforeAll(() => {
  THROTTLE.maxPerIp = 12;
});
afterAll(() => {
  THROTTLE.maxPerIp = PRODUCTION_MAX_PER_IP;
});

async function auditFor(label: string) {
  return (await prisma()).auditEvent.findMany({
    where: { actorLabel: label, action: "auth.sign_in" },
    orderBy: { id: "asc" },
  });
}

describe("password sign-in", () => {
  it("signs in with the right password, stamps the user and audits it", async () => {
    const user = await makeUser();
    const signedIn = await signInWithPassword(
      { email: user.email.toUpperCase(), password: TEST_PASSWORD },
      { ip: "198.51.100.7", requestId: "req-1" },
    );
    expect(signedIn).toEqual({ id: user.id, email: user.email, name: user.name, sid: expect.any(String) });
    // The sign-in opened a session on the server, which the cookie will name.
    const session = await (await prisma()).consoleSession.findUniqueOrThrow({ where: { id: signedIn.sid } });
    expect(session).toMatchObject({ userId: user.id, method: "password", ip: "198.51.100.7", endedAt: null });
    const row = await (await prisma()).user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.lastSignInAt).not.toBeNull();
    const events = await auditFor(user.email);
    expect(events.map((e) => [e.outcome, e.actorId, e.ip, e.requestId])).toEqual([
      ["success", user.id, "198.51.100.7", "req-1"],
    ]);
  });

  it("stores passwords only as argon2id hashes", async () => {
    const user = await makeUser();
    const row = await (await prisma()).user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=65536,p=4,t=3\$/);
    expect(row.passwordHash).not.toContain(TEST_PASSWORD);
  });

  it("gives the same answer for a wrong password, an unknown email and a deactivated account", async () => {
    const user = await makeUser();
    const gone = await makeUser();
    await (await prisma()).user.update({ where: { id: gone.id }, data: { deactivatedAt: new Date() } });
    const attempts = [
      { email: user.email, password: "wrong password" },
      { email: `${unique("nobody")}@example.com`, password: TEST_PASSWORD },
      { email: gone.email, password: TEST_PASSWORD },
    ];
    const messages = [];
    for (const attempt of attempts) {
      const error = await signInWithPassword(attempt, { ip: ip() }).catch((e) => e);
      expect(error).toBeInstanceOf(InvalidCredentialsError);
      messages.push(error.message);
    }
    expect(new Set(messages).size).toBe(1);
    expect((await auditFor(user.email)).map((e) => e.reason)).toEqual(["wrong_password"]);
    expect((await auditFor(gone.email)).map((e) => e.reason)).toEqual(["deactivated"]);
  });

  it("refuses malformed input with a 400 naming the field, and records nothing", async () => {
    const before = await (await prisma()).auditEvent.count();
    const error = await signInWithPassword({ email: "not-an-email", password: "" }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys(error.details).sort()).toEqual(["email", "password"]);
    expect(await (await prisma()).auditEvent.count()).toBe(before);
  });

  it("locks an email after repeated failures, even for the right password, and says for how long", async () => {
    const user = await makeUser();
    for (let i = 0; i < THROTTLE.maxPerEmail; i++) {
      await expect(signInWithPassword({ email: user.email, password: "nope" }, { ip: ip() })).rejects.toBeInstanceOf(
        InvalidCredentialsError,
      );
    }
    const error = await signInWithPassword({ email: user.email, password: TEST_PASSWORD }, { ip: ip() }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(TooManyRequestsError);
    expect(error.status).toBe(429);
    expect(error.message).toMatch(/Try again in 15 minutes/);
    expect((await auditFor(user.email)).at(-1)?.reason).toBe("throttled");
    // Another account is unaffected.
    const other = await makeUser();
    await expect(
      signInWithPassword({ email: other.email, password: TEST_PASSWORD }, { ip: ip() }),
    ).resolves.toMatchObject({ id: other.id });
  });

  it("locks a source address that tries many accounts", async () => {
    const address = ip();
    for (let i = 0; i < THROTTLE.maxPerIp; i++) {
      await signInWithPassword({ email: `${unique("spray")}@example.com`, password: "x" }, { ip: address }).catch(
        () => {},
      );
    }
    const user = await makeUser();
    await expect(
      signInWithPassword({ email: user.email, password: TEST_PASSWORD }, { ip: address }),
    ).rejects.toBeInstanceOf(TooManyRequestsError);
    // From another address (another range: ip() could draw the locked one again).
    await expect(
      signInWithPassword({ email: user.email, password: TEST_PASSWORD }, { ip: "198.51.100.200" }),
    ).resolves.toMatchObject({ id: user.id });
  });

  it("forgets earlier failures after a successful sign-in", async () => {
    const user = await makeUser();
    for (let i = 0; i < THROTTLE.maxPerEmail - 1; i++) {
      await signInWithPassword({ email: user.email, password: "nope" }, { ip: ip() }).catch(() => {});
    }
    await signInWithPassword({ email: user.email, password: TEST_PASSWORD }, { ip: ip() });
    await signInWithPassword({ email: user.email, password: "nope" }, { ip: ip() }).catch(() => {});
    // From another address (another range: ip() could draw the locked one again).
    await expect(
      signInWithPassword({ email: user.email, password: TEST_PASSWORD }, { ip: "198.51.100.200" }),
    ).resolves.toMatchObject({ id: user.id });
  });
});

describe("single sign-on", () => {
  it("links a verified email to an existing active user", async () => {
    const user = await makeUser({ password: null });
    await expect(
      signInWithSso({ email: user.email.toUpperCase(), emailVerified: true, subject: "idp|1" }),
    ).resolves.toMatchObject({ id: user.id });
  });

  it("never creates accounts, and refuses unverified or deactivated ones", async () => {
    const db = await prisma();
    const users = await db.user.count();
    expect(
      await signInWithSso({ email: `${unique("stranger")}@example.com`, emailVerified: true, subject: "idp|2" }),
    ).toBeNull();
    expect(await db.user.count()).toBe(users);
    const user = await makeUser({ password: null });
    expect(await signInWithSso({ email: user.email, emailVerified: false, subject: "idp|3" })).toBeNull();
    await db.user.update({ where: { id: user.id }, data: { deactivatedAt: new Date() } });
    expect(await signInWithSso({ email: user.email, emailVerified: true, subject: "idp|4" })).toBeNull();
    expect(await signInWithSso({ email: null, subject: "idp|5" })).toBeNull();
  });
});

describe("throttling under concurrency", () => {
  // Regression: the failure count was read, then written, so forty guesses sent at the same moment
  // were all checked, past the limit, and the right password among them got in.
  const checked = async (label: string) =>
    (await auditFor(label)).filter((e) => e.outcome === "failure" || e.outcome === "success").length;

  it("checks at most five of forty guesses at one email sent at the same moment, the right one among them", async () => {
    const user = await makeUser();
    const guesses = Array.from({ length: 40 }, (_, i) => (i === 39 ? TEST_PASSWORD : `guess ${i}`));
    const results = await Promise.allSettled(
      guesses.map((password, i) =>
        signInWithPassword({ email: user.email, password }, { ip: `198.18.${Math.floor(i / 200)}.${(i % 200) + 1}` }),
      ),
    );
    const throttled = results.filter((r) => r.status === "rejected" && r.reason instanceof TooManyRequestsError);
    expect(await checked(user.email)).toBeLessThanOrEqual(THROTTLE.maxPerEmail);
    expect(throttled.length).toBeGreaterThanOrEqual(40 - THROTTLE.maxPerEmail);
    // Every refusal is on record.
    expect((await auditFor(user.email)).filter((e) => e.reason === "throttled")).toHaveLength(throttled.length);
  });

  it("checks at most the address's limit of guesses at many emails sent from it at the same moment", async () => {
    const address = "198.19.7.7";
    const emails = Array.from({ length: 30 }, () => `${unique("burst")}@example.com`);
    const results = await Promise.allSettled(
      emails.map((email) => signInWithPassword({ email, password: "guess" }, { ip: address })),
    );
    const throttled = results.filter((r) => r.status === "rejected" && r.reason instanceof TooManyRequestsError);
    expect(throttled.length).toBeGreaterThanOrEqual(30 - THROTTLE.maxPerIp);
    const db = await prisma();
    const checkedCount = await db.auditEvent.count({
      where: { action: "auth.sign_in", outcome: "failure", actorLabel: { in: emails } },
    });
    expect(checkedCount).toBeLessThanOrEqual(THROTTLE.maxPerIp);
  });
});

describe("sessions", () => {
  it("stop working for a user deactivated after signing in", async () => {
    const user = await makeUser();
    const db = await prisma();
    expect(await loadUserCaller(db, user.id)).not.toBeNull();
    await db.user.update({ where: { id: user.id }, data: { deactivatedAt: new Date() } });
    expect(await loadUserCaller(db, user.id)).toBeNull();
  });

  it("live on the server: the cookie's session must be open, the user's own, and not idle past its lifetime", async () => {
    const db = await prisma();
    const user = await makeUser();
    const other = await makeUser();
    const { sid } = await signInWithPassword({ email: user.email, password: TEST_PASSWORD });
    expect(await loadSessionCaller(db, user.id, sid, 480)).toMatchObject({ id: user.id });
    // Another user's id with this session, a made-up session and a malformed one: nobody.
    expect(await loadSessionCaller(db, other.id, sid, 480)).toBeNull();
    expect(await loadSessionCaller(db, user.id, "6f1c0e8e-4a55-4a4e-9d53-0d0d0d0d0d0d", 480)).toBeNull();
    expect(await loadSessionCaller(db, user.id, "not-a-session", 480)).toBeNull();
    // Idle longer than the lifetime: over, whatever the cookie says.
    await db.consoleSession.update({ where: { id: sid }, data: { lastSeenAt: new Date(Date.now() - 481 * 60_000) } });
    expect(await loadSessionCaller(db, user.id, sid, 480)).toBeNull();
    // Used recently: the last use is written (at most every few minutes) to keep it open.
    await db.consoleSession.update({ where: { id: sid }, data: { lastSeenAt: new Date(Date.now() - 10 * 60_000) } });
    expect(await loadSessionCaller(db, user.id, sid, 480)).not.toBeNull();
    const touched = await db.consoleSession.findUniqueOrThrow({ where: { id: sid } });
    expect(Date.now() - touched.lastSeenAt.getTime()).toBeLessThan(60_000);
    // Signing out ends it for good.
    expect(await endSession(db, sid, "sign_out")).toBe(true);
    expect(await loadSessionCaller(db, user.id, sid, 480)).toBeNull();
    expect(await endSession(db, sid, "sign_out")).toBe(false);
  });

  it("are purged a month after they end or go idle; live ones stay", async () => {
    const db = await prisma();
    const user = await makeUser();
    const old = Date.now() - 31 * 86_400_000;
    const ended = await startSession(db, user.id, "password", {});
    await db.consoleSession.update({ where: { id: ended }, data: { endedAt: new Date(old) } });
    const idle = await startSession(db, user.id, "password", {});
    await db.consoleSession.update({ where: { id: idle }, data: { lastSeenAt: new Date(old) } });
    const live = await startSession(db, user.id, "password", {});
    await purgeOldSessions(db, 480);
    const left = await db.consoleSession.findMany({ where: { userId: user.id }, select: { id: true } });
    expect(left.map((s) => s.id)).toEqual([live]);
  });
});
