import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { db } from "~/utils/db.server.ts";
import { env } from "~/utils/env.server.ts";
import type { Clock } from "~/utils/clock.server.ts";
import type { RenderedEmail } from "./templates.ts";

export type OutgoingEmail = RenderedEmail & { to: string; userId?: string | null; kind: string };

const transport = env.SMTP_URL ? nodemailer.createTransport(env.SMTP_URL) : null;

/**
 * Sends one email and records it in EmailMessage (kept for the person's data export). Without
 * SMTP_URL the message is written to MAIL_DIR as JSON for the dev mailbox. A delivery failure is
 * recorded, never thrown: the action that caused the email has already succeeded. Returns the
 * record's id and whether the message was handed over.
 */
export async function sendEmail(email: OutgoingEmail, clock: Clock): Promise<{ id: string; sent: boolean }> {
  const record = await db.emailMessage.create({
    data: { to: email.to, subject: email.subject, kind: email.kind, userId: email.userId ?? null, createdAt: clock.now() },
    select: { id: true },
  });
  try {
    if (transport) {
      await transport.sendMail({ from: env.MAIL_FROM, to: email.to, subject: email.subject, text: email.text, html: email.html });
    } else {
      mkdirSync(env.MAIL_DIR, { recursive: true });
      const file = `${clock.now().toISOString().replace(/[:.]/g, "-")}-${record.id}.json`;
      writeFileSync(join(env.MAIL_DIR, file), JSON.stringify({ id: record.id, from: env.MAIL_FROM, date: clock.now(), ...email }, null, 2));
    }
    await db.emailMessage.update({ where: { id: record.id }, data: { sentAt: clock.now() } });
    return { id: record.id, sent: true };
  } catch (error) {
    console.error(`[mail] could not send "${email.kind}" to ${email.to}:`, error);
    await db.emailMessage.update({ where: { id: record.id }, data: { error: String(error).slice(0, 500) } });
    return { id: record.id, sent: false };
  }
}

export type StoredEmail = OutgoingEmail & { id: string; date: string };

/** Messages written by the file transport, newest first (dev mailbox only). */
export function listStoredEmails(limit = 50): StoredEmail[] {
  let files: string[];
  try {
    files = readdirSync(env.MAIL_DIR).filter((f) => f.endsWith(".json"));
  } catch {
    return [];
  }
  return files
    .sort()
    .reverse()
    .slice(0, limit)
    .map((file) => JSON.parse(readFileSync(join(env.MAIL_DIR, file), "utf8")) as StoredEmail);
}
