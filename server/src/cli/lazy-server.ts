import type { Server } from '../transport/server.ts';

/** A Server built at start time, when what it needs (an embedded broker's URL) exists. */
export function lazyServer(name: string, build: () => Server | Promise<Server>): Server {
  let inner: Server | undefined;
  return {
    name,
    async start() {
      inner = await build();
      await inner.start();
    },
    async stop() {
      await inner?.stop();
    },
  };
}
