/** Milliseconds since the epoch. Injected so tests drive time by hand. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
