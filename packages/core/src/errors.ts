// Domain errors. The GraphQL layer turns UserInputError into a payload's `userErrors` and the other two
// into errors with `extensions.code`; anything else is unexpected and gets masked. Each carries a Message
// (messages/), put into the reader's language at the edge; `Error.message` is its English, for logs.
import { type Message, msg, renderMessage } from "./messages";

export type UserErrorCode = "INVALID" | "NOT_FOUND" | "CONFLICT" | "INVALID_TRANSITION" | "FORBIDDEN";

export interface UserErrorEntry {
  field: string[] | null;
  message: Message;
  code: UserErrorCode;
}

/** Bad input: nothing was changed (thrown inside a transaction, it rolls the transaction back). */
export class UserInputError extends Error {
  readonly errors: UserErrorEntry[];
  constructor(errors: UserErrorEntry[]) {
    super(errors.map((e) => renderMessage(e.message)).join("; "));
    this.name = "UserInputError";
    this.errors = errors;
  }
  static of(code: UserErrorCode, field: string[] | null, message: Message): UserInputError {
    return new UserInputError([{ code, field, message }]);
  }
}

export class UnauthenticatedError extends Error {
  readonly code = "UNAUTHENTICATED";
  constructor(readonly said: Message = msg("access.signIn")) {
    super(renderMessage(said));
    this.name = "UnauthenticatedError";
  }
}

export class ForbiddenError extends Error {
  readonly code = "FORBIDDEN";
  constructor(readonly said: Message = msg("access.forbidden")) {
    super(renderMessage(said));
    this.name = "ForbiddenError";
  }
}

/** Too many attempts (sign-in guessing): nothing was tried; `retryAfterMs` says when to come back. */
export class RateLimitedError extends Error {
  readonly code = "RATE_LIMITED";
  readonly said: Message;
  constructor(
    readonly retryAfterMs: number,
    what: "attempts" | "requests" = "attempts",
  ) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    const said =
      what === "attempts" ? msg("access.tooManyAttempts", { seconds }) : msg("access.tooManyRequests", { seconds });
    super(renderMessage(said));
    this.said = said;
    this.name = "RateLimitedError";
  }
}

/** Collects field errors while validating an input, then throws them all at once. */
export class ErrorCollector {
  readonly errors: UserErrorEntry[] = [];
  add(field: string[] | null, message: Message, code: UserErrorCode = "INVALID"): void {
    this.errors.push({ field, message, code });
  }
  get ok(): boolean {
    return this.errors.length === 0;
  }
  throwIfAny(): void {
    if (this.errors.length > 0) throw new UserInputError(this.errors);
  }
}
