import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type ReceivedEmail = { to: string[]; subject: string; text: string; html: string; links: string[] };

const received: ReceivedEmail[] = [];

/** A real SMTP server on a free loopback port that keeps every message it receives. */
export async function startTestSmtpServer() {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail: ParsedMail) => {
          const to = [mail.to].flat().flatMap((address) => address?.value.map((v) => v.address ?? "") ?? []);
          const text = mail.text ?? "";
          received.push({ to, subject: mail.subject ?? "", text, html: typeof mail.html === "string" ? mail.html : "", links: text.match(/https?:\/\/\S+/g) ?? [] });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as { port: number };
  return { url: `smtp://127.0.0.1:${port}?ignoreTLS=true`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Messages received so far for an address (sendEmail awaits delivery, so no waiting is needed). */
export function inbox(address: string) {
  return received.filter((mail) => mail.to.includes(address));
}

export function lastEmail(address: string) {
  const messages = inbox(address);
  if (!messages.length) throw new Error(`no email received for ${address}`);
  return messages[messages.length - 1];
}

export function linkIn(mail: ReceivedEmail, pathPrefix: string) {
  const link = mail.links.find((l) => new URL(l).pathname.startsWith(pathPrefix));
  if (!link) throw new Error(`no ${pathPrefix} link in "${mail.subject}": ${mail.links.join(", ")}`);
  return new URL(link);
}
