/** What the built-in network knows of one line, and the shorthand the line tables are written in. */
import type { NetworkMode } from './network.ts';

export interface LineDefinition {
  readonly routeId: string;
  readonly line: string;
  readonly mode: NetworkMode;
  readonly lineNumber: number;
  readonly operators: readonly string[];
  /** Weekday peak headway, minutes (HSL: trunk lines 5-6, trams 5-10, other buses 10-30). */
  readonly headway: number;
  readonly headsigns: readonly [toLast: string, toFirst: string];
  readonly via: readonly string[];
}

/** The operator's internal line number (payload `line`): stable per route id, not meant to mean anything. */
function internalLine(routeId: string): number {
  let h = 7;
  for (const c of routeId) h = (h * 31 + c.charCodeAt(0)) % 1499;
  return h + 1;
}

/** A line in one call, its internal line number derived from the route id. */
export function def(
  routeId: string,
  line: string,
  mode: NetworkMode,
  headway: number,
  operators: readonly string[],
  headsigns: readonly [string, string],
  via: readonly string[],
): LineDefinition {
  return { routeId, line, mode, lineNumber: internalLine(routeId), operators, headway, headsigns, via };
}
