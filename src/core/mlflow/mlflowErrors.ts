/** A tracking server failed, refused or answered something unusable; the message names it. */
export class MlflowServerError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly errorCode: string | null,
  ) {
    super(message);
    this.name = 'MlflowServerError';
  }
}
