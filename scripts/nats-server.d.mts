// Types of scripts/nats-server.mjs (for the TypeScript tests).
export function findNatsServer(): { path?: string; reason?: string };
export function freePort(): Promise<number>;
export interface NatsServer { url: string; /** ws://127.0.0.1:port when started with websocket: true */ wsUrl?: string; port: number; store: string; restart(): Promise<void>; stop(): Promise<void> }
export function startNats(auth?: { token?: string; user?: string; pass?: string; websocket?: boolean }): Promise<NatsServer>;
