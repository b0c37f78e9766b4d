import { BulkheadError, type ErrorKind } from '../errors';

/** A refused account operation (users, tokens, owners, sessions); the message is for people. */
export class AccountError extends BulkheadError {
  override name = 'AccountError';
  constructor(message: string, kind: ErrorKind = 'invalid') {
    super(kind, message);
  }
}
