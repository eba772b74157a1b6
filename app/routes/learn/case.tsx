import { Form, redirect, useActionData } from "react-router";
import type { Route } from "./+types/case";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { FormErrorMessage, SubmitButton } from "~/components/form.tsx";
import { LinkButton } from "~/components/link-button.tsx";
import { Markdown } from "~/components/markdown.tsx";
import { SupportBox } from "~/components/support-box.tsx";
import { cachedSupportHtml } from "~/content/render-markdown.server.ts";
import { chooseCaseOption, getCaseRun, restartCase } from "~/domain/case-runs.server.ts";
import { itemPath } from "~/learning/course-state.ts";
import { pick } from "~/i18n/index.ts";
import { resolveLocale } from "~/i18n/locale.server.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage, orFormError } from "~/utils/errors.server.ts";

export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const { content, run, item, next, outline, module } = await orErrorPage(() => getCaseRun({ actor: user, slug: params.slug, itemKey: params.itemKey }));
  const node = content.nodes.find((n) => n.id === run.currentNode)!;
  const last = run.path[run.path.length - 1];
  const lastChoice = last ? content.nodes.find((n) => n.id === last.node)?.choices.find((c) => c.id === last.choice) : null;
  const done = module.items.find((i) => i.key === params.itemKey)?.done ?? false;
  const locale = await resolveLocale(request, user);
  return {
    slug: params.slug,
    title: item.title,
    summary: content.summary,
    requireSafe: content.requireSafeOutcome,
    step: run.path.length,
    consequence: lastChoice ? { choice: lastChoice.text, text: lastChoice.consequence } : null,
    node: { id: node.id, text: node.text, debrief: node.debrief, outcome: node.outcome ?? null, indicators: node.indicators, betterChoices: node.betterChoices ?? null, choices: node.choices.map((c) => ({ id: c.id, text: c.text })) },
    done,
    supportHtml: cachedSupportHtml(outline.id, pick(outline.meta.support, locale), locale),
    next: next ? itemPath(params.slug, next) : null,
  };
}

export async function action({ request, params }: Route.ActionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const here = `/learn/${params.slug}/case/${params.itemKey}`;
  if (form.get("intent") === "restart") {
    await orErrorPage(() => restartCase({ actor: user, slug: params.slug, itemKey: params.itemKey }));
    return redirect(here);
  }
  const result = await orFormError(() => chooseCaseOption({ actor: user, slug: params.slug, itemKey: params.itemKey, fromNode: String(form.get("fromNode") ?? ""), choiceId: String(form.get("choiceId") ?? "") }));
  if (!result.ok) return result.response;
  return redirect(here);
}

export default function CasePlayer({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  const result = useActionData<typeof action>();
  const { node, consequence } = loaderData;
  const safeEnough = node.debrief && (!loaderData.requireSafe || node.outcome === "safe");
  return (
    <div className="mx-auto max-w-3xl space-y-5">
      <PageHeading lead={loaderData.step === 0 ? pick(loaderData.summary, locale) : undefined}>{pick(loaderData.title, locale)}</PageHeading>
      <FormErrorMessage error={result?.formError} />
      {consequence ? (
        <Card className="border-sky-200 bg-sky-50">
          <h2 className="text-sm font-semibold uppercase tracking-wide text-sky-900">{t("case.whatHappened")}</h2>
          <p className="mt-1 italic text-slate-700">{pick(consequence.choice, locale)}</p>
          <div className="mt-2">
            <Markdown>{pick(consequence.text, locale)}</Markdown>
          </div>
        </Card>
      ) : null}
      {node.debrief ? (
        <Card className={node.outcome === "safe" ? "border-emerald-300" : node.outcome === "partial" ? "border-amber-300" : "border-red-300"}>
          <h2 className="text-xl font-semibold">
            {t("case.debrief")}: {t(`case.outcome.${node.outcome ?? "partial"}`)}
          </h2>
          <div className="mt-2">
            <Markdown>{pick(node.text, locale)}</Markdown>
          </div>
          {node.indicators.length ? (
            <>
              <h3 className="mt-4 font-semibold">{t("case.indicators")}</h3>
              <ul className="mt-1 list-disc space-y-1 pl-6">
                {node.indicators.map((indicator, i) => (
                  <li key={i}>{pick(indicator, locale)}</li>
                ))}
              </ul>
            </>
          ) : null}
          {node.betterChoices ? (
            <>
              <h3 className="mt-4 font-semibold">{t("case.betterChoices")}</h3>
              <Markdown>{pick(node.betterChoices, locale)}</Markdown>
            </>
          ) : null}
          <p className={`mt-4 font-medium ${safeEnough ? "text-emerald-800" : "text-amber-900"}`} role="status">
            {safeEnough ? t("case.completed") : t("case.needSafe")}
          </p>
          <div className="mt-4 flex flex-wrap gap-3">
            {safeEnough && loaderData.next ? <LinkButton to={loaderData.next}>{t("learn.continue")} →</LinkButton> : null}
            <Form method="post">
              <input type="hidden" name="intent" value="restart" />
              <SubmitButton variant={safeEnough ? "secondary" : "primary"}>{t("case.playAgain")}</SubmitButton>
            </Form>
            <LinkButton to={`/learn/${loaderData.slug}`} variant="secondary">
              {t("learn.backToCourse")}
            </LinkButton>
          </div>
        </Card>
      ) : (
        <Card>
          <Markdown>{pick(node.text, locale)}</Markdown>
          <h2 className="mt-4 font-semibold">{t("case.whatDoYouDo")}</h2>
          <ul className="mt-2 space-y-2">
            {node.choices.map((choice) => (
              <li key={choice.id}>
                <Form method="post">
                  <input type="hidden" name="fromNode" value={node.id} />
                  <input type="hidden" name="choiceId" value={choice.id} />
                  <button type="submit" className="min-h-11 w-full rounded-md border border-slate-400 bg-white p-3 text-left hover:border-brand-700 hover:bg-brand-50">
                    {pick(choice.text, locale)}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <SupportBox html={loaderData.supportHtml} />
    </div>
  );
}
