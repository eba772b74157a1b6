import { translator, type Locale } from "~/i18n/index.ts";
import { escapeHtml } from "~/utils/html.ts";

export type RenderedEmail = { subject: string; text: string; html: string };

/** One layout for every email: a greeting, paragraphs, an optional button, a footer. */
function layout(locale: Locale, { subject, greeting, paragraphs, action }: { subject: string; greeting: string; paragraphs: string[]; action?: { label: string; url: string } }): RenderedEmail {
  const t = translator(locale);
  const footer = t("email.footer");
  const text = [greeting, "", ...paragraphs.flatMap((p) => [p, ""]), ...(action ? [`${action.label}: ${action.url}`, ""] : []), "—", footer].join("\n");
  const html = `<!doctype html><html lang="${locale}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2937;max-width:36rem;margin:auto;padding:1rem">
<p>${escapeHtml(greeting)}</p>
${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n")}
${action ? `<p><a href="${escapeHtml(action.url)}" style="display:inline-block;background:#0f766e;color:#fff;padding:.6rem 1rem;border-radius:.375rem;text-decoration:none">${escapeHtml(action.label)}</a></p><p style="font-size:.85rem;color:#4b5563">${escapeHtml(action.url)}</p>` : ""}
<hr><p style="font-size:.8rem;color:#6b7280">${escapeHtml(footer)}</p></body></html>`;
  return { subject, text, html };
}

export const emails = {
  verifyEmail(locale: Locale, { name, url }: { name: string; url: string }) {
    const t = translator(locale);
    return layout(locale, {
      subject: t("email.verify.subject"),
      greeting: t("email.greeting", { name }),
      paragraphs: [t("email.verify.body"), t("email.verify.expiry")],
      action: { label: t("email.verify.action"), url },
    });
  },
  accountExists(locale: Locale, { name, loginUrl, resetUrl }: { name: string; loginUrl: string; resetUrl: string }) {
    const t = translator(locale);
    return layout(locale, {
      subject: t("email.exists.subject"),
      greeting: t("email.greeting", { name }),
      paragraphs: [t("email.exists.body"), t("email.exists.reset", { url: resetUrl }), t("email.ignore")],
      action: { label: t("email.exists.action"), url: loginUrl },
    });
  },
  resetPassword(locale: Locale, { name, url }: { name: string; url: string }) {
    const t = translator(locale);
    return layout(locale, {
      subject: t("email.reset.subject"),
      greeting: t("email.greeting", { name }),
      paragraphs: [t("email.reset.body"), t("email.reset.expiry"), t("email.ignore")],
      action: { label: t("email.reset.action"), url },
    });
  },
  passwordChanged(locale: Locale, { name }: { name: string }) {
    const t = translator(locale);
    return layout(locale, { subject: t("email.passwordChanged.subject"), greeting: t("email.greeting", { name }), paragraphs: [t("email.passwordChanged.body")] });
  },
  certificateIssued(locale: Locale, { name, course, expires, url }: { name: string; course: string; expires: string; url: string }) {
    const t = translator(locale);
    return layout(locale, {
      subject: t("email.certificate.subject", { course }),
      greeting: t("email.greeting", { name }),
      paragraphs: [t("email.certificate.body", { course }), t("email.certificate.expiry", { date: expires })],
      action: { label: t("email.certificate.action"), url },
    });
  },
  certificateExpiring(locale: Locale, { name, course, expires, url }: { name: string; course: string; expires: string; url: string }) {
    const t = translator(locale);
    return layout(locale, {
      subject: t("email.expiry.subject", { course, date: expires }),
      greeting: t("email.greeting", { name }),
      paragraphs: [t("email.expiry.body", { course, date: expires }), t("email.expiry.path")],
      action: { label: t("email.expiry.action"), url },
    });
  },
  certificateExpired(locale: Locale, { name, course, expires, url }: { name: string; course: string; expires: string; url: string }) {
    const t = translator(locale);
    return layout(locale, {
      subject: t("email.expired.subject", { course }),
      greeting: t("email.greeting", { name }),
      paragraphs: [t("email.expired.body", { course, date: expires })],
      action: { label: t("email.expiry.action"), url },
    });
  },
  emailChangeConfirm(locale: Locale, { name, url }: { name: string; url: string }) {
    const t = translator(locale);
    return layout(locale, { subject: t("email.changeEmail.subject"), greeting: t("email.greeting", { name }), paragraphs: [t("email.changeEmail.body"), t("email.changeEmail.expiry")], action: { label: t("email.changeEmail.action"), url } });
  },
  emailChangeRequested(locale: Locale, { name, masked }: { name: string; masked: string }) {
    const t = translator(locale);
    return layout(locale, { subject: t("email.changeRequested.subject"), greeting: t("email.greeting", { name }), paragraphs: [t("email.changeRequested.body", { masked })] });
  },
  emailChangeTaken(locale: Locale, { name }: { name: string }) {
    const t = translator(locale);
    return layout(locale, { subject: t("email.changeTaken.subject"), greeting: t("email.greeting", { name }), paragraphs: [t("email.changeTaken.body"), t("email.ignore")] });
  },
  emailChanged(locale: Locale, { name, masked }: { name: string; masked: string }) {
    const t = translator(locale);
    return layout(locale, { subject: t("email.changed.subject"), greeting: t("email.greeting", { name }), paragraphs: [t("email.changed.body", { masked })] });
  },
  deletionScheduled(locale: Locale, { name, date, url }: { name: string; date: string; url: string }) {
    const t = translator(locale);
    return layout(locale, { subject: t("email.deletion.subject", { date }), greeting: t("email.greeting", { name }), paragraphs: [t("email.deletion.body", { date }), t("email.deletion.undo")], action: { label: t("email.deletion.action"), url } });
  },
  assignmentNotice(locale: Locale, which: "assigned" | "dueSoon" | "overdue", { name, course, organisation, due, url }: { name: string; course: string; organisation: string; due: string; url: string }) {
    const t = translator(locale);
    const paragraphs = [t(`email.assignment.${which}.body`, { course, organisation, due })];
    if (which === "assigned" && !due) paragraphs[0] = t("email.assignment.assigned.bodyNoDue", { course, organisation });
    return layout(locale, { subject: t(`email.assignment.${which}.subject`, { course, due }), greeting: t("email.greeting", { name }), paragraphs: [...paragraphs, t("email.assignment.settings")], action: { label: t("email.assignment.action"), url } });
  },
  organiserDigest(locale: Locale, { name, organisation, overdue, completed, expiring, url }: { name: string; organisation: string; overdue: number; completed: number; expiring: number; url: string }) {
    const t = translator(locale);
    return layout(locale, {
      subject: t("email.digest.subject", { organisation }),
      greeting: t("email.greeting", { name }),
      paragraphs: [t("email.digest.overdue", { count: overdue }), t("email.digest.completed", { count: completed }), t("email.digest.expiring", { count: expiring }), t("email.assignment.settings")],
      action: { label: t("email.digest.action"), url },
    });
  },
  invitation(locale: Locale, { organisation, inviter, url }: { organisation: string; inviter: string; url: string }) {
    const t = translator(locale);
    return layout(locale, {
      subject: t("email.invite.subject", { organisation }),
      greeting: t("email.greetingAnonymous"),
      paragraphs: [t("email.invite.body", { organisation, inviter }), t("email.invite.expiry")],
      action: { label: t("email.invite.action"), url },
    });
  },
};
