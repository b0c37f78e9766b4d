/** A refused account operation, with the HTTP status it maps to (the message is for people). */
export class AccountError extends Error {
  override name = 'AccountError';
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409 | 429 = 400,
  ) {
    super(message);
  }
}
