import { Link } from "react-router";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { authorableCoursesWithQuizzes } from "~/authoring/item-analysis.server.ts";
import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/index";

// Authoring: the courses this person may change (admins: all; trainers: their organisation's).
export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return { courses: await orErrorPage(() => authorableCoursesWithQuizzes(user)) };
}

export default function AuthorIndex({ loaderData }: Route.ComponentProps) {
  const t = useT();
  const locale = useLocale();
  return (
    <div className="space-y-4">
      <PageHeading lead={t("author.intro")}>{t("author.title")}</PageHeading>
      {loaderData.courses.length ? (
        <ul className="space-y-2">
          {loaderData.courses.map((course) => (
            <li key={course.id}>
              <Card className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-semibold">{course.slug}</span>
                <Link to={`/author/courses/${course.slug}/scorm`} className="underline">
                  {t("author.scorm")}
                </Link>
                {course.quizzes.length ? (
                  <ul className="w-full space-y-1 text-sm">
                    {course.quizzes.map((quiz) => (
                      <li key={quiz.key}>
                        <Link to={`/author/courses/${course.slug}/quizzes/${quiz.key}/analysis`} className="underline">
                          {t("analysis.linkQuiz", { quiz: pick(quiz.title, locale) })}
                        </Link>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </Card>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("author.noCourses")}</p>
      )}
    </div>
  );
}
