/** Emails are compared lower-cased and NFC-normalised, so "Ana@X.si" and "ana@x.si" are one account. */
export function normaliseEmail(email: string) {
  return email.trim().normalize("NFC").toLowerCase();
}
