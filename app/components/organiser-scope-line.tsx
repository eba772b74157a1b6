import { useT } from "~/i18n/use-t.ts";

/** On organiser pages: the departments a department organiser sees (nothing for the whole organisation). */
export function OrganiserScopeLine({ departments }: { departments: ReadonlyArray<{ name: string }> | null }) {
  const t = useT();
  if (!departments) return null;
  return (
    <p className="rounded-md border border-brand-100 bg-brand-50 px-3 py-2 text-sm" data-testid="organiser-scope">
      {t("scope.line", { departments: departments.map((d) => d.name).join(", ") })}
    </p>
  );
}
