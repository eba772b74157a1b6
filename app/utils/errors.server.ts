import { data } from "react-router";

export type DomainErrorCode = "NOT_FOUND" | "FORBIDDEN" | "CONFLICT" | "INVALID" | "TOO_MANY_REQUESTS" | "UNAUTHENTICATED";

const STATUS: Record<DomainErrorCode, number> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  CONFLICT: 409,
  INVALID: 400,
  TOO_MANY_REQUESTS: 429,
  UNAUTHENTICATED: 401,
};

/** The HTTP status of a domain failure (the one place codes become statuses). */
export function statusOf(error: DomainError) {
  return STATUS[error.code];
}

/**
 * A failure a user can be told about. `messageKey` is an i18n key; `field` ties it to a form field.
 * Routes turn it into a response with `toResponse`, the one place codes become HTTP statuses.
 */
export class DomainError extends Error {
  constructor(
    public code: DomainErrorCode,
    public messageKey: string,
    public field?: string,
    /** what exactly was wrong (a path in an upload, a line of a file), shown after the message */
    public detail?: string,
  ) {
    super(`${code}: ${messageKey}`);
  }
}

export function toResponse(error: DomainError) {
  const body: { formError: string | undefined; fieldErrors: Record<string, string[]>; message: string | undefined; detail?: string } = {
    formError: error.field ? undefined : error.messageKey,
    fieldErrors: error.field ? { [error.field]: [error.messageKey] } : {},
    message: undefined,
    ...(error.detail !== undefined && { detail: error.detail }),
  };
  return data(body, { status: STATUS[error.code] });
}


/** For loaders: a domain failure becomes the error page, with its message key and status. */
export async function orErrorPage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) throw data({ message: error.messageKey }, { status: STATUS[error.code] });
    throw error;
  }
}

/** For actions: a domain failure becomes a 4xx result the form shows; anything else is a 500. */
export async function orFormError<T>(work: () => Promise<T>) {
  try {
    return { ok: true as const, value: await work() };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false as const, response: toResponse(error) };
    throw error;
  }
}
