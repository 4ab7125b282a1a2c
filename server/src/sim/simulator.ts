/**
 * The simulator as a server of the app: a fleet on a network, driven by the (injectable) clock,
 * published as HFP over MQTT to any broker URL (the embedded one by default). `timeScale` > 1 runs
 * simulated time faster than the clock.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Server } from '../transport/server.ts';
import { network as builtinNetwork } from './builtin-network.ts';
import type { EmbeddedBroker } from './embedded-broker.ts';
import { SIM_ERROR, SimError } from './errors.ts';
import { createFleet, type Fleet, type FleetStats, type SimMessage } from './fleet.ts';
import { type Clock, type Logger, systemClock } from './logger.ts';
import type { Network } from './network.ts';
import { type QuirkRates, quirkRates } from './quirks.ts';

export interface SimulatorOptions {
  readonly mqttUrl: string;
  /**
   * The embedded broker at `mqttUrl`, when the simulator runs in its process: messages are handed to
   * it directly instead of through an MQTT client and a socket (half the cost per message). Subscribers
   * see exactly the same messages.
   */
  readonly embedded?: Pick<EmbeddedBroker, 'publish'>;
  /** Fleet size; default 1,000 (a weekday peak). */
  readonly vehicles?: number;
  readonly seed?: number;
  /** Simulated seconds per clock second; default 1. */
  readonly timeScale?: number;
  readonly clock?: Clock;
  readonly logger: Logger;
  readonly quirks?: Partial<QuirkRates>;
  readonly network?: Network;
  /** How often the fleet is advanced and its messages published, ms of clock time; default 50. */
  readonly tickMs?: number;
  /** Simulated time at start, ms; default the clock's now. */
  readonly startTime?: number;
  /** Topic prefix replacing `/hfp/` (to keep test runs on a shared broker apart); default none. */
  readonly topicPrefix?: string;
}

export interface SimulatorStats extends FleetStats {
  readonly running: boolean;
  readonly published: number;
  readonly publishErrors: number;
  /** Current simulated time, ms (0 before start). */
  readonly simTime: number;
}

export interface Simulator extends Server {
  readonly network: Network;
  stats(): SimulatorStats;
  /** Advances the fleet to the clock's now and publishes; the timer calls it, tests may too. */
  tick(): void;
}

export function buildSimulator(options: SimulatorOptions): Simulator {
  const log = options.logger;
  const clock = options.clock ?? systemClock;
  const timeScale = options.timeScale ?? 1;
  const tickMs = options.tickMs ?? 50;
  const net = options.network ?? builtinNetwork();
  const quirks = quirkRates(options.quirks);
  const vehicles = options.vehicles ?? 1000;
  const seed = options.seed ?? 1;
  let client: MqttClient | undefined;
  let running = false;
  let fleet: Fleet | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let wallStart = 0;
  let simStart = 0;
  let simTime = 0;
  let published = 0;
  let publishErrors = 0;

  const failed = (err: Error | undefined) => {
    if (err) {
      publishErrors++;
      if (publishErrors % 1000 === 1) log.warn({ err: err.message, publishErrors }, 'sim publish failed');
    }
  };
  const embedded = options.embedded;
  const publish = (m: SimMessage) => {
    const topic = options.topicPrefix ? options.topicPrefix + m.topic.slice(1) : m.topic;
    if (embedded) embedded.publish(topic, m.payload, failed);
    else client!.publish(topic, m.payload, { qos: 0 }, failed);
    published++;
  };

  const tick = () => {
    if (!fleet || !running) return;
    simTime = simStart + (clock.now() - wallStart) * timeScale;
    fleet.advance(simTime, publish);
  };

  return {
    name: 'sim',
    network: net,
    tick,
    async start() {
      if (running) return;
      if (!embedded) await connect();
      running = true;
      wallStart = clock.now();
      simStart = options.startTime ?? wallStart;
      simTime = simStart;
      fleet = createFleet({ network: net, vehicles, seed, start: simStart, quirks });
      log.info(
        {
          url: options.mqttUrl,
          inProcess: embedded !== undefined,
          vehicles: fleet.size,
          routes: net.routes.length,
          timeScale,
          seed,
        },
        'simulator started',
      );
      timer = setInterval(tick, tickMs);
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      running = false;
      const c = client;
      client = undefined;
      if (c) await c.endAsync();
      log.info({ published }, 'simulator stopped');
    },
    stats() {
      const f = fleet?.stats() ?? {
        vehicles: 0,
        messages: 0,
        byEvent: {},
        droppedPositions: 0,
        duplicates: 0,
        backlogged: 0,
        malformed: 0,
      };
      return { ...f, running, published, publishErrors, simTime };
    },
  };

  async function connect(): Promise<void> {
    const c = mqtt.connect(options.mqttUrl, {
      clientId: `realtimemap-sim-${seed}-${Math.random().toString(16).slice(2, 8)}`,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
    });
    client = c;
    try {
      await new Promise<void>((resolve, reject) => {
        c.once('connect', () => resolve());
        c.once('error', reject);
      });
    } catch (cause) {
      client = undefined;
      c.end(true);
      throw new SimError(SIM_ERROR.mqtt, `simulator cannot connect to ${options.mqttUrl}`, { cause });
    }
    c.on('error', (err) => log.warn({ err: err.message }, 'sim mqtt error'));
  }
}
