import { pick } from "~/i18n/index.ts";
import { useLocale, useT } from "~/i18n/use-t.ts";
import { PROFESSIONS } from "~/utils/roles.ts";

// The course, department and profession pickers the organiser's filter forms share (GET forms:
// an empty value means "any").

const SELECT = "mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2";

function Picker({ label, name, value, any, options }: { label: string; name: string; value?: string; any?: string; options: Array<{ value: string; label: string }> }) {
  return (
    <label className="block text-sm font-medium">
      {label}
      <select name={name} defaultValue={value ?? ""} className={SELECT}>
        {any ? <option value="">{any}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function CoursePicker({ courses, value, allowAny = true }: { courses: Array<{ id: string; title: Record<string, string> }>; value?: string; allowAny?: boolean }) {
  const t = useT();
  const locale = useLocale();
  return <Picker label={t("dashboard.course")} name="course" value={value} any={allowAny ? t("dashboard.allCourses") : undefined} options={courses.map((c) => ({ value: c.id, label: pick(c.title, locale) }))} />;
}

export function DepartmentPicker({ departments, value }: { departments: Array<{ id: string; name: string }>; value?: string }) {
  const t = useT();
  return <Picker label={t("field.department")} name="department" value={value} any={t("exports.anyDepartment")} options={departments.map((d) => ({ value: d.id, label: d.name }))} />;
}

export function ProfessionPicker({ value }: { value?: string }) {
  const t = useT();
  return <Picker label={t("field.profession")} name="profession" value={value} any={t("dashboard.allProfessions")} options={PROFESSIONS.map((p) => ({ value: p, label: t(`profession.${p}`) }))} />;
}
