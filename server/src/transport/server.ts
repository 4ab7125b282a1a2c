/** Anything the App starts and stops: a subscriber server, the HTTP server, a WebSocket server, ... */
export interface Server {
  readonly name: string;
  /** Resolves when the server is ready to serve. */
  start(): Promise<void>;
  /** Drains: finishes in-flight work, then releases sockets and connections. */
  stop(): Promise<void>;
}
