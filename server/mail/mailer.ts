import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";

// Outgoing mail (invitations), through the SMTP server the operator configured (SMTP_URL,
// MAIL_FROM). Without it, Mandate shows links to copy instead of sending them.

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

let transport: { url: string; transporter: Transporter } | undefined;

export function mailConfigured(): boolean {
  return env().mail !== null;
}

/** Sends one message; throws when the SMTP server refuses it or cannot be reached in time. */
export async function sendMail(mail: Mail): Promise<void> {
  const config = env().mail;
  if (!config) throw new Error("SMTP_URL is not set");
  if (transport?.url !== config.url) {
    transport = {
      url: config.url,
      transporter: nodemailer.createTransport(config.url, {
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
      }),
    };
  }
  await transport.transporter.sendMail({ from: config.from, ...mail });
}
