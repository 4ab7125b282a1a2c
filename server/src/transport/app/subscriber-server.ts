import type { Broker, SubscribeOptions, Subscription } from '../broker.ts';
import { TransportError } from '../errors.ts';
import { silentLogger, type TransportLogger } from '../logger.ts';
import type { Handler } from '../message.ts';
import type { Server } from '../server.ts';

interface Registration {
  readonly topic: string;
  readonly handler: Handler<never>;
  readonly options: SubscribeOptions<never>;
}

export interface SubscriberServerOptions {
  readonly broker: Broker;
  readonly name?: string;
  /** Close the broker on stop() (default true: the server owns it). */
  readonly closeBroker?: boolean;
  /** Deadline handed to broker.close() (default 30 s). */
  readonly closeDeadlineMs?: number;
  readonly logger?: TransportLogger;
}

/**
 * A broker plus its registered subscriptions as one Server, like kratos-transport's RegisterSubscriber:
 * start() connects and subscribes everything; stop() closes the subscriptions (running handlers
 * finish, acks flush), then the broker.
 */
export class SubscriberServer implements Server {
  readonly name: string;
  private readonly broker: Broker;
  private readonly registrations: Registration[] = [];
  private readonly subscriptions: Subscription[] = [];
  private readonly closeBroker: boolean;
  private readonly closeDeadlineMs: number;
  private readonly logger: TransportLogger;
  private running = false;

  constructor(options: SubscriberServerOptions) {
    this.broker = options.broker;
    this.name = options.name ?? `subscriber:${options.broker.name}`;
    this.closeBroker = options.closeBroker ?? true;
    this.closeDeadlineMs = options.closeDeadlineMs ?? 30_000;
    this.logger = options.logger ?? silentLogger;
  }

  /** Registers a subscription; made at start() (or at once, if already started). */
  async register<T>(topic: string, handler: Handler<T>, options: SubscribeOptions<T> = {}): Promise<void> {
    const registration = { topic, handler, options } as unknown as Registration;
    this.registrations.push(registration);
    if (this.running) await this.subscribe(registration);
  }

  get registered(): readonly { readonly topic: string; readonly group: string | undefined }[] {
    return this.registrations.map((r) => ({ topic: r.topic, group: r.options.group }));
  }

  async start(): Promise<void> {
    if (this.running) throw new TransportError('TRANSPORT_INVALID_OPTION', `${this.name}: already started`);
    await this.broker.connect();
    for (const r of this.registrations) await this.subscribe(r);
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
    const subs = this.subscriptions.splice(0);
    await Promise.all(subs.map((s) => s.close()));
    if (this.closeBroker) await this.broker.close({ deadlineMs: this.closeDeadlineMs });
  }

  private async subscribe(r: Registration): Promise<void> {
    const sub = await this.broker.subscribe(r.topic, r.handler, r.options);
    this.subscriptions.push(sub);
    this.logger.info({ server: this.name, topic: r.topic, group: r.options.group }, 'subscribed');
  }
}
