import { z } from "zod";
import { PROFESSIONS, ROLES } from "./roles.ts";

// Form schemas shared by actions (validation) and components (field names). Messages are i18n keys.

export type FieldErrors = Record<string, string[] | undefined>;
export type FormResult = { formError?: string; fieldErrors?: FieldErrors; ok?: boolean; message?: string };

export function parseForm<S extends z.ZodType>(schema: S, formData: FormData): { success: true; data: z.infer<S> } | { success: false; fieldErrors: FieldErrors } {
  const input: Record<string, unknown> = {};
  for (const [key, value] of formData) {
    if (typeof value !== "string") continue;
    input[key] = key in input ? ([] as unknown[]).concat(input[key], value) : value;
  }
  const result = schema.safeParse(input);
  if (result.success) return { success: true, data: result.data };
  return { success: false, fieldErrors: z.flattenError(result.error).fieldErrors as FieldErrors };
}

/**
 * The form without its empty fields. An empty select or date means "any" (or "none"), so it is
 * left out for the schema's optional field rather than validated as "".
 */
export function withoutEmptyFields(form: FormData) {
  const filled = new FormData();
  for (const [key, value] of form) if (value !== "") filled.append(key, value);
  return filled;
}

const email = z.string().trim().min(1, "validation.required").max(254, "validation.tooLong").pipe(z.email("validation.email"));
const name = z.string().trim().min(1, "validation.required").max(120, "validation.tooLong");
const newPassword = z.string().min(10, "validation.passwordLength").max(200, "validation.tooLong");
const profession = z.enum(PROFESSIONS, "validation.choose");
const locale = z.enum(["sl", "en"], "validation.choose");

export const SignUpSchema = z.object({ name, email, profession, password: newPassword, locale: locale.optional() });
export const LogInSchema = z.object({ email, password: z.string().min(1, "validation.required").max(200, "validation.tooLong"), redirectTo: z.string().optional() });
export const ForgotPasswordSchema = z.object({ email });
export const ResetPasswordSchema = z.object({ token: z.string().min(10), password: newPassword });
export const ChangePasswordSchema = z.object({ intent: z.literal("password"), currentPassword: z.string().min(1, "validation.required"), password: newPassword });
export const ProfileSchema = z.object({ intent: z.literal("profile"), name, profession, locale, licenceNumber: z.string().trim().max(40, "validation.tooLong").optional() });
export const ChangeEmailSchema = z.object({ intent: z.literal("email"), newEmail: email, password: z.string().min(1, "validation.required") });
export const DeleteAccountSchema = z.object({ intent: z.literal("delete"), password: z.string().min(1, "validation.required"), confirm: z.literal("yes", "privacy.confirmRequired") });
export const AcceptInvitationSchema = z.object({ token: z.string().min(10), name: name.optional(), profession: profession.optional(), password: newPassword.optional() });

export const CreateOrganisationSchema = z.object({
  intent: z.literal("create"),
  name,
  timeZone: z.string().trim().refine((tz) => { try { new Intl.DateTimeFormat("en", { timeZone: tz }); return true; } catch { return false; } }, "validation.timeZone").default("Europe/Ljubljana"),
  departments: z.string().max(2000, "validation.tooLong").optional(),
});
export const InviteSchema = z.object({
  intent: z.literal("invite"),
  email,
  name: z.string().trim().max(120, "validation.tooLong").optional(),
  departmentId: z.string().optional(),
  roles: z.preprocess((v) => (v === undefined ? [] : ([] as unknown[]).concat(v)), z.array(z.enum(ROLES)).min(1, "validation.chooseRole")),
});
export const QUIZ_TIME_FACTORS = [1, 1.25, 1.5, 2] as const;
export const UpdateMembershipSchema = z.object({
  intent: z.literal("update"),
  quizTimeFactor: z.coerce.number().refine((v) => (QUIZ_TIME_FACTORS as readonly number[]).includes(v), "validation.choose").default(1),
  departmentId: z.string().optional(),
  roles: z.preprocess((v) => (v === undefined ? [] : ([] as unknown[]).concat(v)), z.array(z.enum(ROLES)).min(1, "validation.chooseRole")),
  /** an organiser's department limit (ADR 0014): none is the whole organisation */
  organiserDepartmentIds: z.preprocess((v) => (v === undefined ? [] : ([] as unknown[]).concat(v)), z.array(z.string().min(1).max(40)).max(100)),
});
export const AddDepartmentSchema = z.object({ intent: z.literal("department"), name });
