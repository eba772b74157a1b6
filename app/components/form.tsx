import { useId } from "react";
import { Form, useNavigation } from "react-router";
import { useT } from "~/i18n/use-t.ts";
import type { FieldErrors } from "~/utils/forms.ts";

export function FormErrorMessage({ error }: { error?: string }) {
  const t = useT();
  if (!error) return null;
  return (
    <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
      {t(error)}
    </p>
  );
}

/** A success notice: `message` is a dictionary key; `text` is already translated (e.g. with a count). */
export function FormNotice({ message, text }: { message?: string; text?: string }) {
  const t = useT();
  if (!message && !text) return null;
  return (
    <p role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900">
      {text ?? t(message as string)}
    </p>
  );
}

function ErrorList({ id, errors }: { id: string; errors?: string[] }) {
  const t = useT();
  if (!errors?.length) return null;
  return (
    <ul id={id} className="mt-1 text-sm text-red-700">
      {errors.map((error) => (
        <li key={error}>{t(error)}</li>
      ))}
    </ul>
  );
}

type FieldProps = {
  label: string;
  name: string;
  errors?: FieldErrors;
  hint?: string;
} & React.InputHTMLAttributes<HTMLInputElement>;

/** A labelled input whose errors are announced and tied to it with aria-describedby. */
export function Field({ label, name, errors, hint, ...input }: FieldProps) {
  const id = useId();
  const fieldErrors = errors?.[name];
  const describedBy = [hint ? `${id}-hint` : null, fieldErrors?.length ? `${id}-errors` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      <input
        id={id}
        name={name}
        aria-invalid={fieldErrors?.length ? true : undefined}
        aria-describedby={describedBy}
        className="mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base shadow-sm aria-invalid:border-red-600"
        {...input}
      />
      <ErrorList id={`${id}-errors`} errors={fieldErrors} />
    </div>
  );
}

export function SelectField({ label, name, errors, options, ...select }: { label: string; name: string; errors?: FieldErrors; options: Array<{ value: string; label: string }> } & React.SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  const fieldErrors = errors?.[name];
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <select
        id={id}
        name={name}
        aria-invalid={fieldErrors?.length ? true : undefined}
        aria-describedby={fieldErrors?.length ? `${id}-errors` : undefined}
        className="mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base"
        {...select}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <ErrorList id={`${id}-errors`} errors={fieldErrors} />
    </div>
  );
}

export function CheckboxGroup({ legend, name, errors, options, defaultValues = [] }: { legend: string; name: string; errors?: FieldErrors; options: Array<{ value: string; label: string }>; defaultValues?: string[] }) {
  const id = useId();
  const fieldErrors = errors?.[name];
  return (
    <fieldset aria-describedby={fieldErrors?.length ? `${id}-errors` : undefined}>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      <div className="mt-1 flex flex-wrap gap-4">
        {options.map((option) => (
          <label key={option.value} className="flex items-center gap-2 text-base">
            <input type="checkbox" name={name} value={option.value} defaultChecked={defaultValues.includes(option.value)} className="h-5 w-5" />
            {option.label}
          </label>
        ))}
      </div>
      <ErrorList id={`${id}-errors`} errors={fieldErrors} />
    </fieldset>
  );
}

export function SubmitButton({ children, name, value, variant = "primary" }: { children: React.ReactNode; name?: string; value?: string; variant?: "primary" | "secondary" }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const styles = variant === "primary" ? "bg-brand-700 text-white hover:bg-brand-800" : "border border-slate-400 bg-white text-slate-900 hover:bg-slate-100";
  return (
    <button type="submit" name={name} value={value} disabled={busy} aria-busy={busy || undefined} className={`inline-flex min-h-11 items-center justify-center rounded-md px-4 py-2 font-medium ${styles} disabled:opacity-70`}>
      {children}
    </button>
  );
}

export { Form };
