import { describe, expect, it } from 'vitest';
import { createMemoryBroker } from '../../../src/transport/backends/memory/index.ts';
import { parseTraceparent } from '../../../src/transport/delivery/traceparent.ts';
import { currentTraceContext, withTracing } from '../../../src/transport/delivery/tracing.ts';
import { HEADER, type Message } from '../../../src/transport/message.ts';
import { Collector } from '../conformance/support.ts';

const GIVEN = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('tracing', () => {
  it('tracing: a given traceparent is kept; without one a new trace starts', async () => {
    const broker = withTracing(createMemoryBroker());
    const got = new Collector<number>();
    await broker.subscribe('t.in', got.handler);
    await broker.publish('t.in', 1, { headers: { traceparent: GIVEN } });
    await broker.publish('t.in', 2);
    await broker.publish('t.in', 3, { headers: { 'correlation-id': 'c' } });
    await got.until(3);
    const [given, fresh, withOthers] = got.messages as [Message<number>, Message<number>, Message<number>];
    expect(given.headers[HEADER.traceparent]).toBe(GIVEN);
    const a = parseTraceparent(fresh.headers[HEADER.traceparent]);
    const b = parseTraceparent(withOthers.headers[HEADER.traceparent]);
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect(a!.traceId).not.toBe(b!.traceId);
    expect(withOthers.headers[HEADER.correlationId]).toBe('c');
    await broker.close();
  });

  it('tracing: a publish from inside a handler continues the handled message trace, across awaits and brokers', async () => {
    const first = withTracing(createMemoryBroker());
    const second = withTracing(createMemoryBroker());
    const out = new Collector<string>();
    await second.subscribe('t.out', out.handler);
    let inside: string | undefined;
    await first.subscribe<number>('t.in', async (m) => {
      await new Promise((r) => setTimeout(r, 1));
      inside = currentTraceContext()?.traceId;
      await second.publish('t.out', `from ${m.value}`);
    });
    await first.publish('t.in', 1, { headers: { traceparent: GIVEN } });
    await out.until(1);
    const child = parseTraceparent(out.messages[0]!.headers[HEADER.traceparent])!;
    expect(inside).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(child.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(child.parentId).not.toBe('b7ad6b7169203331');
    expect(currentTraceContext()).toBeUndefined(); // nothing leaks out of the handler
    await Promise.all([first.close(), second.close()]);
  });

  it('tracing: a plain broker keeps a given traceparent and adds none', async () => {
    const broker = createMemoryBroker();
    const got = new Collector<number>();
    await broker.subscribe('t.plain', got.handler);
    await broker.publish('t.plain', 1, { headers: { traceparent: GIVEN } });
    await broker.publish('t.plain', 2);
    await got.until(2);
    expect(got.messages[0]!.headers[HEADER.traceparent]).toBe(GIVEN);
    expect(got.messages[1]!.headers[HEADER.traceparent]).toBeUndefined();
    await broker.close();
  });
});
