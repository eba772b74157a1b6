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

/**
 * A failure a user can be told about. `messageKey` is an i18n key; `field` ties it to a form field.
 * Routes turn it into a response with `toResponse`, the one place codes become HTTP statuses.
 */
export class DomainError extends Error {
  constructor(
    public code: DomainErrorCode,
    public messageKey: string,
    public field?: string,
  ) {
    super(`${code}: ${messageKey}`);
  }
}

export function toResponse(error: DomainError) {
  const body: { formError: string | undefined; fieldErrors: Record<string, string[]>; message: string | undefined } = {
    formError: error.field ? undefined : error.messageKey,
    fieldErrors: error.field ? { [error.field]: [error.messageKey] } : {},
    message: undefined,
  };
  return data(body, { status: STATUS[error.code] });
}

/** For loaders: throw a 404/403 response when a condition fails. */
export function invariantResponse(condition: unknown, message: string, status = 404): asserts condition {
  if (!condition) throw data({ message }, { status });
}
