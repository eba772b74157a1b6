// The people list's statuses and sort orders, shared by the page and the server.

export const PERSON_STATUSES = ["none", "not_started", "in_progress", "overdue", "exempt", "completed", "certified", "expiring", "expired"] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];
export const PEOPLE_SORTS = ["name", "status", "due", "expires"] as const;
