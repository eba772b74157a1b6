export const ROLES = ["LEARNER", "TRAINER", "ORGANISER"] as const;
export type Role = (typeof ROLES)[number];

export const PROFESSIONS = ["NURSE", "PHYSICIAN", "MIDWIFE", "OTHER"] as const;
export type ProfessionValue = (typeof PROFESSIONS)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Pure, so the UI can mirror the server's checks. */
export function hasRole(membership: { roles: string[] } | null | undefined, role: Role) {
  return Boolean(membership?.roles.includes(role));
}
