import { Link } from "react-router";
import { Card, PageHeading } from "~/components/app-shell.tsx";
import { authorableCourses } from "~/domain/course-authoring-access.server.ts";
import { useT } from "~/i18n/use-t.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { db } from "~/utils/db.server.ts";
import { data } from "react-router";
import type { Route } from "./+types/index";

// Authoring: the courses this person may change (admins: all; trainers: their organisation's).
export async function loader({ request }: Route.LoaderArgs) {
  const user = await requireUser(request);
  const trainer = user.isAdmin || (await db.membership.count({ where: { userId: user.id, endedAt: null, roles: { has: "TRAINER" } } })) > 0;
  if (!trainer) throw data({ message: "errors.forbidden" }, { status: 403 });
  return { courses: await authorableCourses(user) };
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
