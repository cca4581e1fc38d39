// Types of scripts/nats-server.mjs (for the TypeScript tests).
export function findNatsServer(): { path?: string; reason?: string };
export function freePort(): Promise<number>;
export interface NatsServer { url: string; port: number; store: string; restart(): Promise<void>; stop(): Promise<void> }
export function startNats(auth?: { token?: string; user?: string; pass?: string }): Promise<NatsServer>;
