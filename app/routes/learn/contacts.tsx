import { Card, PageHeading } from "~/components/app-shell.tsx";
import { SupportBox } from "~/components/support-box.tsx";
import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { referralCard } from "~/organisers/referrals.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/contacts";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return orErrorPage(() => referralCard({ actor: user, slug: params.slug }));
}

/** The quick-reference card: who to call, kept short enough to read on a phone in a corridor. */
export default function Contacts({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const telLink = (phone: string) => (
    <a href={`tel:${phone.replace(/[^+0-9]/g, "")}`} className="font-semibold text-brand-700 underline">
      {phone}
    </a>
  );
  return (
    <div className="space-y-6">
      <PageHeading lead={t("contacts.lead")}>{t("contacts.title")}</PageHeading>
      {loaderData.local.length ? (
        <Card>
          <h2 className="mb-3 text-lg font-semibold">{t("contacts.local")}</h2>
          <ul className="space-y-3">
            {loaderData.local.map((referral) => (
              <li key={referral.id}>
                <p className="font-medium">
                  {referral.name} <span className="text-sm font-normal text-slate-600">({referral.organisation})</span>
                </p>
                <p>
                  {referral.phone ? telLink(referral.phone) : null} {referral.hours ? <span className="text-slate-700">· {referral.hours}</span> : null}
                </p>
                <p className="text-slate-700">{referral.helpsWith}</p>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("contacts.national")}</h2>
        <ul className="space-y-3">
          {loaderData.national.map((referral) => (
            <li key={referral.id}>
              <p className="font-medium">{pick(referral.name, locale)}</p>
              <p>
                {referral.phone ? telLink(referral.phone) : null} {referral.hours ? <span className="text-slate-700">· {pick(referral.hours, locale)}</span> : null}
              </p>
              {referral.helpsWith ? <p className="text-slate-700">{pick(referral.helpsWith, locale)}</p> : null}
            </li>
          ))}
        </ul>
      </Card>
      <SupportBox text={pick(loaderData.support, locale)} />
    </div>
  );
}
