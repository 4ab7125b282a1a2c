// Public entry of the feed area.
export { FEED_ERROR, FeedError, type FeedErrorCode } from './errors.ts';
export {
  buildFeed,
  DEFAULT_POSITIONS_TOPIC,
  DEFAULT_TOPIC_FILTER,
  type Feed,
  type FeedOptions,
} from './feed.ts';
export type { FeedStats } from './feed-stats.ts';
