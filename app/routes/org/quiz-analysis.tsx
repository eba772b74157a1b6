import { getOrganisationQuizAnalysis } from "~/authoring/item-analysis.server.ts";
import { ItemAnalysisView } from "~/authoring/item-analysis-view.tsx";
import { translator } from "~/i18n/index.ts";
import { useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/quiz-analysis";

// A quiz's item analysis over the organisation's current members, for its organisers.
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return orErrorPage(() => getOrganisationQuizAnalysis({ actor: user, organisationId: params.orgId, courseId: params.courseId, itemKey: params.itemKey }));
}

export default function OrganisationQuizAnalysis({ loaderData, params }: Route.ComponentProps) {
  const t = useT();
  return <ItemAnalysisView analysis={loaderData} backTo={`/org/${params.orgId}/courses/${params.courseId}`} backLabel={t("analysis.backToReport")} />;
}

export function meta({ matches }: Route.MetaArgs) {
  const t = translator((matches[0]?.data as { locale?: "sl" | "en" })?.locale ?? "sl");
  return [{ title: `${t("analysis.pageTitle")} · Opora` }];
}
