import { data } from "react-router";
import type { Route } from "./+types/mail";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { listStoredEmails } from "~/email/mailer.server.ts";
import { formatDateTime } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { devMailboxEnabled } from "~/utils/env.server.ts";

// The demo mailbox: exists only where Opora writes mail to files instead of sending it.
export function loader() {
  if (!devMailboxEnabled) throw data({ message: "errors.notFound" }, { status: 404 });
  return { messages: listStoredEmails().map(({ id, to, subject, text, date }) => ({ id, to, subject, text, date })) };
}

export default function DevMail({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  return (
    <div>
      <PageHeading lead={t("devmail.lead")}>{t("devmail.title")}</PageHeading>
      {loaderData.messages.length === 0 ? <p>{t("devmail.empty")}</p> : null}
      <ul className="space-y-4">
        {loaderData.messages.map((message) => (
          <li key={message.id}>
            <Card>
              <h2 className="font-semibold">{message.subject}</h2>
              <p className="text-sm text-slate-600">
                {message.to} · {formatDateTime(message.date, locale)}
              </p>
              <pre className="mt-3 whitespace-pre-wrap break-words font-sans text-sm">{linkify(message.text)}</pre>
            </Card>
          </li>
        ))}
      </ul>
    </div>
  );
}

function linkify(text: string) {
  return text.split(/(https?:\/\/\S+)/g).map((part, index) =>
    /^https?:\/\//.test(part) ? (
      <a key={index} href={part} className="text-brand-700 underline">
        {part}
      </a>
    ) : (
      part
    ),
  );
}
