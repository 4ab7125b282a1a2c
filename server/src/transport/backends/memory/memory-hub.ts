import { compileMatcher } from '../../topics/wildcards.ts';

/** A message as it sits in memory: the wire contract (raw bytes + headers) plus key and time. */
export interface Envelope {
  readonly topic: string;
  readonly key: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly raw: Uint8Array;
  readonly timestamp: number;
}

/** What the hub needs of a subscription: somewhere to offer a message. */
export interface Inbox {
  readonly pattern: string;
  readonly group: string | undefined;
  /** Resolves once the inbox has taken the envelope (may wait while it is full); may throw QueueFullError. */
  offer(envelope: Envelope): Promise<void> | undefined;
}

interface FanOut {
  readonly inbox: Inbox;
  readonly matches: (topic: string) => boolean;
}

interface Route {
  readonly matches: (topic: string) => boolean;
  /** Fan-out: one member that gets everything. Group: members that share. */
  readonly members: Inbox[];
  cursor: number;
}

/**
 * The in-process bus. Brokers created with the same hub see each other's messages (tests use that
 * for separate publisher and subscriber brokers); by default each memory broker has its own.
 */
export class MemoryHub {
  /**
   * Arrays replaced (not mutated) on every change: dispatch() walks them with no iterator per message,
   * and a handler that subscribes or closes while a dispatch runs cannot disturb that walk.
   */
  private fanOut: readonly FanOut[] = [];
  private routes: readonly Route[] = [];
  private readonly groups = new Map<string, Route>();

  add(inbox: Inbox): void {
    if (inbox.group === undefined) {
      this.fanOut = [...this.fanOut, { inbox, matches: compileMatcher(inbox.pattern) }];
      return;
    }
    const id = groupId(inbox.pattern, inbox.group);
    const route = this.groups.get(id);
    if (route) route.members.push(inbox);
    else {
      this.groups.set(id, { matches: compileMatcher(inbox.pattern), members: [inbox], cursor: 0 });
      this.routes = [...this.groups.values()];
    }
  }

  remove(inbox: Inbox): void {
    if (inbox.group === undefined) {
      this.fanOut = this.fanOut.filter((entry) => entry.inbox !== inbox);
      return;
    }
    const id = groupId(inbox.pattern, inbox.group);
    const route = this.groups.get(id);
    if (!route) return;
    const i = route.members.indexOf(inbox);
    if (i !== -1) route.members.splice(i, 1);
    if (route.members.length === 0) {
      this.groups.delete(id);
      this.routes = [...this.groups.values()];
    }
  }

  /**
   * Offers the envelope to every matching fan-out subscription and to one member of each matching
   * group. Returns undefined when every inbox took it at once (the common case: no promise), else a
   * promise that settles once all have.
   */
  dispatch(envelope: Envelope): Promise<void> | undefined {
    let waits: Promise<void>[] | undefined;
    const fanOut = this.fanOut;
    for (let i = 0; i < fanOut.length; i++) {
      const { inbox, matches } = fanOut[i]!;
      if (matches(envelope.topic)) {
        const w = inbox.offer(envelope);
        if (w) {
          waits ??= [];
          waits.push(w);
        }
      }
    }
    const routes = this.routes;
    for (let i = 0; i < routes.length; i++) {
      const route = routes[i]!;
      if (!route.matches(envelope.topic)) continue;
      const w = pickMember(route, envelope.key).offer(envelope);
      if (w) {
        waits ??= [];
        waits.push(w);
      }
    }
    if (waits === undefined) return undefined;
    return waits.length === 1 ? waits[0] : Promise.all(waits).then(() => undefined);
  }

  /** Re-offers to the group of a leaving member (its waiting publishers move to the others). */
  redirect(pattern: string, group: string, envelope: Envelope): Promise<void> | undefined {
    const route = this.groups.get(groupId(pattern, group));
    return route ? pickMember(route, envelope.key).offer(envelope) : undefined;
  }
}

function groupId(pattern: string, group: string): string {
  return `${group}\u0000${pattern}`;
}

/** A keyed message always goes to the same member while membership is stable (keeps per-key order). */
function pickMember(route: Route, key: string | undefined): Inbox {
  const n = route.members.length;
  if (key !== undefined) return route.members[hash(key) % n]!;
  route.cursor = (route.cursor + 1) % n;
  return route.members[route.cursor]!;
}

/** FNV-1a, 32 bit. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
