/** Notices a person may turn off; the others (assignments, overdue, certificate expiry) belong to their job. */
export const OPTIONAL_NOTICES = ["due-soon", "organiser-digest"] as const;
