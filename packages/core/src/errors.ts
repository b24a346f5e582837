// Domain errors. The GraphQL layer turns UserInputError into a payload's `userErrors` and the other two
// into errors with `extensions.code`; anything else is unexpected and gets masked.

export type UserErrorCode = "INVALID" | "NOT_FOUND" | "CONFLICT" | "INVALID_TRANSITION" | "FORBIDDEN";

export interface UserErrorEntry {
  field: string[] | null;
  message: string;
  code: UserErrorCode;
}

/** Bad input: nothing was changed (thrown inside a transaction, it rolls the transaction back). */
export class UserInputError extends Error {
  readonly errors: UserErrorEntry[];
  constructor(errors: UserErrorEntry[]) {
    super(errors.map((e) => e.message).join("; "));
    this.name = "UserInputError";
    this.errors = errors;
  }
  static of(code: UserErrorCode, field: string[] | null, message: string): UserInputError {
    return new UserInputError([{ code, field, message }]);
  }
}

export class UnauthenticatedError extends Error {
  readonly code = "UNAUTHENTICATED";
  constructor(message = "Sign in to do this.") {
    super(message);
    this.name = "UnauthenticatedError";
  }
}

export class ForbiddenError extends Error {
  readonly code = "FORBIDDEN";
  constructor(message = "You are not allowed to do this.") {
    super(message);
    this.name = "ForbiddenError";
  }
}

/** Too many attempts (sign-in guessing): nothing was tried; `retryAfterMs` says when to come back. */
export class RateLimitedError extends Error {
  readonly code = "RATE_LIMITED";
  constructor(
    readonly retryAfterMs: number,
    what = "Too many attempts",
  ) {
    super(`${what}; try again in ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s.`);
    this.name = "RateLimitedError";
  }
}

/** Collects field errors while validating an input, then throws them all at once. */
export class ErrorCollector {
  readonly errors: UserErrorEntry[] = [];
  add(field: string[] | null, message: string, code: UserErrorCode = "INVALID"): void {
    this.errors.push({ field, message, code });
  }
  get ok(): boolean {
    return this.errors.length === 0;
  }
  throwIfAny(): void {
    if (this.errors.length > 0) throw new UserInputError(this.errors);
  }
}
