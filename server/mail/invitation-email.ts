import "server-only";
import { formatUtc } from "@/lib/format";
import type { Mail } from "./mailer";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** The invitation as an email: what the person is invited to, by whom, the link and its expiry. */
export function invitationEmail(opts: {
  to: string;
  url: string;
  invitedBy: string;
  /** "Tenant owner of Acme Corp", "Security admin (every tenant)". */
  what: string;
  expiresAt: Date;
}): Mail {
  const expires = formatUtc(opts.expiresAt);
  const text = [
    `${opts.invitedBy} invited you to Mandate as ${opts.what}.`,
    "",
    "Open this link to set your name and password (or sign in with your company's single sign-on):",
    opts.url,
    "",
    `The link works once and expires on ${expires}. If you did not expect it, ignore this email.`,
  ].join("\n");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#0f172a;max-width:560px">
<p><strong>${escapeHtml(opts.invitedBy)}</strong> invited you to Mandate as <strong>${escapeHtml(opts.what)}</strong>.</p>
<p><a href="${escapeHtml(opts.url)}" style="display:inline-block;background:#4f46e5;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">Accept the invitation</a></p>
<p style="color:#475569;font-size:14px">Or paste this link into your browser:<br>${escapeHtml(opts.url)}</p>
<p style="color:#475569;font-size:14px">The link works once and expires on ${escapeHtml(expires)}. If you did not expect it, ignore this email.</p>
</body></html>`;
  return { to: opts.to, subject: `You are invited to Mandate as ${opts.what}`, text, html };
}
