export const ROLES = ["LEARNER", "TRAINER", "ORGANISER"] as const;
export type Role = (typeof ROLES)[number];

export const PROFESSIONS = ["NURSE", "PHYSICIAN", "MIDWIFE", "OTHER"] as const;
export type ProfessionValue = (typeof PROFESSIONS)[number];


