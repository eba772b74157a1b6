import { getCourseQuizAnalysis } from "~/authoring/item-analysis.server.ts";
import { ItemAnalysisView } from "~/authoring/item-analysis-view.tsx";
import { translator } from "~/i18n/index.ts";
import { useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/quiz-analysis";

// A quiz's item analysis over every learner of the course, for those who may change the course.
export async function loader({ request, params }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return orErrorPage(() => getCourseQuizAnalysis({ actor: user, slug: params.slug, itemKey: params.itemKey }));
}

export default function CourseQuizAnalysis({ loaderData }: Route.ComponentProps) {
  const t = useT();
  return <ItemAnalysisView analysis={loaderData} backTo="/author" backLabel={t("analysis.backToAuthoring")} />;
}

export function meta({ matches }: Route.MetaArgs) {
  const t = translator((matches[0]?.data as { locale?: "sl" | "en" })?.locale ?? "sl");
  return [{ title: `${t("analysis.pageTitle")} · Opora` }];
}
