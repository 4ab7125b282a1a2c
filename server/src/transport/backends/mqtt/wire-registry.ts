import type { MqttSubscription } from './mqtt-subscription.ts';

/** One SUBSCRIBE on the server, shared by every local subscription with the same filter (and group). */
export interface Wire {
  /** The filter as sent: `a/+/c`, or `$share/<group>/a/+/c`. */
  readonly filter: string;
  /** MQTT 5 subscription identifier: the server tags each PUBLISH with the ids it matched. */
  readonly id: number;
  readonly shared: boolean;
  readonly members: MqttSubscription[];
  cursor: number;
  ready: Promise<void>;
}

const MAX_SUBSCRIPTION_ID = 268_435_455;

/**
 * Local subscriptions grouped by wire filter. MQTT replaces a subscription when the same client
 * subscribes the same filter twice, so two local subscribers of one topic share one wire entry.
 */
export class WireRegistry {
  private readonly byFilter = new Map<string, Wire>();
  private readonly byId = new Map<number, Wire>();
  private nextId = 1;

  get wires(): Iterable<Wire> {
    return this.byFilter.values();
  }

  /** Adds a member; `created` says a SUBSCRIBE must be sent. */
  attach(filter: string, shared: boolean, sub: MqttSubscription): { wire: Wire; created: boolean } {
    const existing = this.byFilter.get(filter);
    if (existing) {
      existing.members.push(sub);
      return { wire: existing, created: false };
    }
    const id = this.nextId;
    this.nextId = this.nextId >= MAX_SUBSCRIPTION_ID ? 1 : this.nextId + 1;
    const wire: Wire = { filter, id, shared, members: [sub], cursor: 0, ready: Promise.resolve() };
    this.byFilter.set(filter, wire);
    this.byId.set(id, wire);
    return { wire, created: true };
  }

  /** Removes a member; returns the wire when it became empty (then UNSUBSCRIBE). */
  detach(filter: string, sub: MqttSubscription): Wire | undefined {
    const wire = this.byFilter.get(filter);
    if (!wire) return undefined;
    const i = wire.members.indexOf(sub);
    if (i !== -1) wire.members.splice(i, 1);
    if (wire.members.length > 0) return undefined;
    this.byFilter.delete(filter);
    this.byId.delete(wire.id);
    return wire;
  }

  /** The local subscriptions a PUBLISH goes to: every member of a plain wire, one member of a shared one. */
  route(ids: number | number[] | undefined, key: string | undefined): MqttSubscription[] {
    if (ids === undefined) return NONE;
    // The common case, one identifier, without building an id list.
    if (!Array.isArray(ids)) return this.routeWire(this.byId.get(ids), key, []);
    const out: MqttSubscription[] = [];
    for (const id of ids) this.routeWire(this.byId.get(id), key, out);
    return out;
  }

  private routeWire(
    wire: Wire | undefined,
    key: string | undefined,
    out: MqttSubscription[],
  ): MqttSubscription[] {
    if (!wire) return out;
    let live = 0;
    for (const m of wire.members) if (!m.isClosing) live++;
    if (live === 0) return out;
    if (!wire.shared) {
      for (const m of wire.members) if (!m.isClosing) out.push(m);
      return out;
    }
    let pick = key !== undefined ? hash(key) % live : wire.cursor++ % live;
    for (const m of wire.members) {
      if (m.isClosing) continue;
      if (pick-- === 0) {
        out.push(m);
        break;
      }
    }
    return out;
  }
}

const NONE: MqttSubscription[] = [];

/** FNV-1a, 32 bit: a keyed message goes to the same local group member. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
