/** The feed area's error catalogue: stable `FEED_` codes. */
export const FEED_ERROR = {
  connect: 'FEED_CONNECT',
  subscribe: 'FEED_SUBSCRIBE',
} as const;

export type FeedErrorCode = (typeof FEED_ERROR)[keyof typeof FEED_ERROR];

export class FeedError extends Error {
  override readonly name = 'FeedError';
  constructor(
    readonly code: FeedErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
