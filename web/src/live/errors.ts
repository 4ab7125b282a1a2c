/** Errors of the web app's live layer, with stable codes. */
export type WebErrorCode =
  | 'WEB_FRAME_INVALID'
  | 'WEB_PROTOCOL_MISMATCH'
  | 'WEB_FETCH_FAILED'
  | 'WEB_GL_UNSUPPORTED';

export class WebError extends Error {
  constructor(
    readonly code: WebErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WebError';
  }
}
