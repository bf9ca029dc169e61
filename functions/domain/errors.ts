/**
 * Errors a person can act on: an input that was rejected, a programme that does not exist, a stack
 * that would not start. The edges (the CLI today) show them as their message, without a stack trace,
 * and recognise them by class, so renaming one changes nothing a user sees. `code` names what went
 * wrong for logs and stays the same when a class is renamed.
 */
export abstract class UserFacingError extends Error {
  abstract readonly code: string;
}

/**
 * A base for a user-facing error whose every instance has the same `code`, declared where the class
 * is: `class OutboxDamagedError extends userFacingError('outbox-damaged') {…}`.
 */
export function userFacingError<const Code extends string>(code: Code) {
  abstract class WithCode extends UserFacingError {
    readonly code: Code = code;
  }
  return WithCode;
}

/**
 * A conditional write found the item changed since it was read (another run, another staff member):
 * part of every store port's contract, so use cases can tell the person what happened.
 */
export class ConcurrentChangeError extends userFacingError('concurrent-change') {
  override readonly name = 'ConcurrentChangeError';
}
