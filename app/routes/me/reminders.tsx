import { useActionData } from "react-router";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { Form, FormNotice, SubmitButton } from "~/components/form.tsx";
import { formatDateTime } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { listMyNotices, setMutedNotices } from "~/organisers/my-notices.server.ts";
import { OPTIONAL_NOTICES } from "~/organisers/notice-kinds.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orFormError } from "~/utils/errors.server.ts";
import type { Route } from "./+types/reminders";

export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return listMyNotices({ actor: user });
}

export async function action({ request }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  // Every optional notice not ticked is turned off.
  const wanted = new Set(form.getAll("on").map(String));
  const result = await orFormError(() => setMutedNotices({ actor: user, muted: OPTIONAL_NOTICES.filter((kind) => !wanted.has(kind)) }));
  if (!result.ok) return result.response;
  return { message: "reminders.saved" };
}

export default function Reminders({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const result = useActionData<typeof action>();
  return (
    <div className="space-y-6">
      <PageHeading lead={t("reminders.lead")}>{t("reminders.title")}</PageHeading>
      <Card>
        <Form method="post" className="space-y-3">
          <FormNotice message={result && "message" in result ? result.message : undefined} />
          <fieldset className="space-y-2">
            <legend className="mb-2 font-semibold">{t("reminders.optional")}</legend>
            {OPTIONAL_NOTICES.map((kind) => (
              <label key={kind} className="flex items-start gap-2">
                <input type="checkbox" name="on" value={kind} defaultChecked={!loaderData.muted.includes(kind)} className="mt-1 h-5 w-5" />
                <span>{t(`reminders.kind.${kind}`)}</span>
              </label>
            ))}
          </fieldset>
          <p className="text-sm text-slate-700">{t("reminders.required")}</p>
          <SubmitButton>{t("reminders.save")}</SubmitButton>
        </Form>
      </Card>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("reminders.sent")}</h2>
        {loaderData.notices.length ? (
          <ul className="divide-y divide-slate-100">
            {loaderData.notices.map((notice) => (
              <li key={notice.id} className="flex flex-wrap justify-between gap-2 py-2">
                <span>
                  {t(`reminders.sentKind.${notice.kind}` as never)}
                </span>
                <span className="text-slate-700">{notice.sentAt ? formatDateTime(notice.sentAt, locale) : ""}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("reminders.none")}</p>
        )}
      </Card>
    </div>
  );
}
