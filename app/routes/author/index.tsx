import { Link } from "react-router";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { authorableCourses } from "~/domain/course-authoring-access.server.ts";
import { useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { orErrorPage } from "~/utils/errors.server.ts";
import type { Route } from "./+types/index";

// Authoring: the courses this person may change (admins: all; trainers: their organisation's).
export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  return { courses: await orErrorPage(() => authorableCourses(user)) };
}

export default function AuthorIndex({ loaderData }: Route.ComponentProps) {
  const t = useT();
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
