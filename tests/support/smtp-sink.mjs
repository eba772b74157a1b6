// A real SMTP server for the end-to-end suite (SMTP on E2E_SMTP_PORT, default 2525) that keeps every
// message and serves them as JSON on E2E_MAIL_API_PORT (default 2526): GET /messages?to=address.
// The app under test delivers to it through nodemailer exactly as it would to a hospital's server.
import { createServer } from "node:http";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

const smtpPort = Number(process.env.E2E_SMTP_PORT ?? 2525);
const apiPort = Number(process.env.E2E_MAIL_API_PORT ?? 2526);
const messages = [];

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  logger: false,
  onData(stream, _session, callback) {
    simpleParser(stream)
      .then((mail) => {
        const to = [mail.to].flat().flatMap((address) => address?.value.map((v) => v.address ?? "") ?? []);
        const text = mail.text ?? "";
        messages.push({ to, subject: mail.subject ?? "", text, links: text.match(/https?:\/\/\S+/g) ?? [], receivedAt: new Date().toISOString() });
        callback();
      })
      .catch(callback);
  },
});
smtp.listen(smtpPort, "127.0.0.1");

createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/messages") {
    const to = url.searchParams.get("to")?.toLowerCase();
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify(to ? messages.filter((m) => m.to.includes(to)) : messages));
    return;
  }
  res.writeHead(url.pathname === "/" ? 200 : 404);
  res.end("smtp sink");
}).listen(apiPort, "127.0.0.1", () => console.log(`smtp sink: SMTP ${smtpPort}, API ${apiPort}`));
