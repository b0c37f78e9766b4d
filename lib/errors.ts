// The one error vocabulary of lib/. Everything lib/ refuses for a reason a person can act on (a
// bad selector, no such rule, a user that exists already, a store held by another process) is a
// BulkheadError: a kind that says what happened in terms every front end understands, and a
// message written for the person who asked. Each front end maps the kinds once: the API to HTTP
// statuses (app/api/_lib/route.ts), server actions to a form message (app/_lib/auth.ts), the CLI
// to an exit code (cli/main.ts). Anything else thrown is a fault: logged with its stack, and
// answered without its message.
//
// Recognised by a brand rather than by `instanceof` alone: `bulkhead serve` runs the CLI bundle
// and the Next.js bundle in one process, each with its own copy of this module, and an error made
// by one copy reaches code compiled into the other (the runtime is shared between them).

export const ERROR_KINDS = ['invalid', 'not-found', 'conflict', 'forbidden', 'too-many', 'busy', 'unavailable'] as const;

/**
 * - invalid: the input is wrong (a value, a selector, a date); asking again differently helps
 * - not-found: what was named does not exist
 * - conflict: it contradicts the current state (exists already, the last admin, superseded)
 * - forbidden: the one asking may not do this
 * - too-many: refused for now because of how often it was tried (throttling)
 * - busy: a resource is held by someone else (the embedded store by another process)
 * - unavailable: something this needs is missing here (a tool not installed, a service down)
 */
export type ErrorKind = (typeof ERROR_KINDS)[number];

const BRAND = Symbol.for('bulkhead.error');

export class BulkheadError extends Error {
  override name = 'BulkheadError';
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, message: string, options?: ErrorOptions) {
    super(message, options);
    this.kind = kind;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** Is this an error lib/ raised for a person (whichever bundle's copy of this module made it)? */
export function isBulkheadError(e: unknown): e is BulkheadError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true && typeof (e as { kind?: unknown }).kind === 'string';
}

/** Shorthands for the common kinds, so a refusal reads as one line where it is raised. */
export const invalid = (message: string, options?: ErrorOptions) => new BulkheadError('invalid', message, options);
export const notFound = (message: string, options?: ErrorOptions) => new BulkheadError('not-found', message, options);
export const conflict = (message: string, options?: ErrorOptions) => new BulkheadError('conflict', message, options);
