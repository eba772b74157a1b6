import { data, Form, redirect, useActionData } from "react-router";
import type { Route } from "./+types/course";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { Markdown } from "~/components/markdown.tsx";
import { SupportBox } from "~/components/support-box.tsx";
import { LinkButton } from "~/components/link-button.tsx";
import { FormErrorMessage, SubmitButton } from "~/components/form.tsx";
import { getCourseOutline } from "~/domain/catalogue.server.ts";
import { enrol } from "~/domain/enrol.server.ts";
import { renewalStatus, startRenewal } from "~/domain/renew.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orFormError } from "~/utils/errors.server.ts";
import { formatCalendarDay, pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { getSessionUser } from "~/utils/session.server.ts";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await getSessionUser(request);
  const course = await getCourseOutline({ userId: user?.id ?? null, slug: params.slug });
  if (!course) throw data({ message: "errors.notFound" }, { status: 404 });
  const renewal = user && course.enrolled ? await renewalStatus({ actor: user, courseId: course.id }) : null;
  return { course, signedIn: Boolean(user), enrolled: course.enrolled, renewal };
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const intent = (await request.formData()).get("intent");
  const result = await orFormError(() => (intent === "renew" ? startRenewal({ actor: user, slug: params.slug }) : enrol({ actor: user, slug: params.slug })));
  if (!result.ok) return result.response;
  return redirect(`/learn/${params.slug}`);
}

function RenewalBox({ slug, renewal }: { slug: string; renewal: NonNullable<Route.ComponentProps["loaderData"]["renewal"]> }) {
  const t = useT();
  const locale = useLocale();
  const result = useActionData<typeof action>();
  return (
    <Card>
      <h2 className="text-lg font-semibold">{t("renew.title")}</h2>
      <p className="mt-1 text-slate-700">{t(renewal.expired ? "renew.expiredOn" : "renew.expiresOn", { date: formatCalendarDay(renewal.expiresOn, locale) })}</p>
      {renewal.inProgress ? (
        <div className="mt-3">
          <LinkButton to={`/learn/${slug}`}>{t("renew.continue")}</LinkButton>
        </div>
      ) : renewal.open ? (
        <Form method="post" className="mt-3 space-y-3">
          <p className="text-slate-700">{t("renew.explain")}</p>
          <FormErrorMessage error={result && "formError" in result ? result.formError : undefined} />
          <input type="hidden" name="intent" value="renew" />
          <SubmitButton>{t("renew.start")}</SubmitButton>
        </Form>
      ) : (
        <p className="mt-1 text-slate-700">{t("renew.opensOn", { date: formatCalendarDay(renewal.opensOn, locale) })}</p>
      )}
    </Card>
  );
}

function EnrolBox({ slug, signedIn, enrolled, selfEnrol }: { slug: string; signedIn: boolean; enrolled: boolean; selfEnrol: boolean }) {
  const t = useT();
  const result = useActionData<typeof action>();
  if (enrolled) return <LinkButton to={`/learn/${slug}`}>{t("learn.goToCourse")}</LinkButton>;
  if (!signedIn) return <LinkButton to={`/login?redirectTo=${encodeURIComponent(`/courses/${slug}`)}`}>{t("learn.signInToEnrol")}</LinkButton>;
  if (!selfEnrol) return <p>{t("learn.noSelfEnrol")}</p>;
  return (
    <Form method="post" className="space-y-3">
      <FormErrorMessage error={result && "formError" in result ? result.formError : undefined} />
      <SubmitButton>{t("learn.enrol")}</SubmitButton>
    </Form>
  );
}

export default function CoursePage({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const { course } = loaderData;
  const { meta } = course;
  const outcomes = new Map(meta.outcomes.map((o) => [o.id, pick(o.text, locale)]));
  return (
    <div className="space-y-6">
      <PageHeading lead={pick(meta.summary, locale)}>{pick(meta.title, locale)}</PageHeading>
      <EnrolBox slug={course.slug} signedIn={loaderData.signedIn} enrolled={loaderData.enrolled} selfEnrol={meta.selfEnrol} />
      {loaderData.renewal ? <RenewalBox slug={course.slug} renewal={loaderData.renewal} /> : null}
      <Card>
        <h2 className="text-lg font-semibold">{t("course.contentNote")}</h2>
        <Markdown>{pick(meta.contentNote, locale)}</Markdown>
      </Card>
      {meta.description ? (
        <Card>
          <Markdown>{pick(meta.description, locale)}</Markdown>
        </Card>
      ) : null}
      <Card>
        <h2 className="text-lg font-semibold">{t("course.outcomes")}</h2>
        <ul className="mt-2 list-disc space-y-1 pl-6">
          {meta.outcomes.map((outcome) => (
            <li key={outcome.id}>{pick(outcome.text, locale)}</li>
          ))}
        </ul>
        <dl className="mt-4 grid gap-2 text-sm sm:grid-cols-3">
          <div>
            <dt className="font-medium">{t("catalogue.duration")}</dt>
            <dd>{t("catalogue.minutes", { minutes: meta.estimatedMinutes })}</dd>
          </div>
          <div>
            <dt className="font-medium">{t("catalogue.cpd")}</dt>
            <dd>
              {meta.cpd.credits} · {pick(meta.cpd.category, locale)}
            </dd>
          </div>
          <div>
            <dt className="font-medium">{t("course.validity")}</dt>
            <dd>{t("course.validityMonths", { months: meta.validityMonths })}</dd>
          </div>
        </dl>
      </Card>
      <section aria-labelledby="modules-heading">
        <h2 id="modules-heading" className="mb-3 text-xl font-semibold">
          {t("course.modules")}
        </h2>
        <ol className="space-y-4">
          {course.modules.map((module, index) => (
            <li key={module.key}>
              <Card>
                <h3 className="text-lg font-semibold">
                  {module.isRecertification ? t("course.recertificationModule") : t("course.moduleNumber", { number: index + 1 })}: {pick(module.title, locale)}
                </h3>
                {module.meta.summary ? <p className="mt-1 text-slate-700">{pick(module.meta.summary, locale)}</p> : null}
                {module.meta.outcomes?.length ? (
                  <p className="mt-2 text-sm text-slate-600">
                    {t("course.moduleOutcomes")}: {module.meta.outcomes.map((id) => outcomes.get(id) ?? id).join("; ")}
                  </p>
                ) : null}
                <ul className="mt-3 space-y-1">
                  {module.items.map((item) => (
                    <li key={item.key} className="flex gap-2">
                      <span className="w-24 shrink-0 text-sm text-slate-600">{t(`item.${item.kind}`)}</span>
                      <span>{pick(item.title, locale)}</span>
                    </li>
                  ))}
                </ul>
              </Card>
            </li>
          ))}
        </ol>
      </section>
      <SupportBox text={pick(meta.support, locale)} />
    </div>
  );
}
