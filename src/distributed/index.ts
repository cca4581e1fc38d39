/**
 * evostrat/distributed: fitness evaluations spread over threads, processes and machines, with
 * scalars on the wire (./protocol.ts). `distribute(strategy, options)` runs minimize's loop as the
 * coordinator, `distributed(strategy, options)` gives ask/tell to a caller that drives the loop;
 * `startWorker(options)` serves a run. Without `servers` everything runs in this process
 * (a local worker on the drivers' thread pool); with `servers`, over NATS JetStream (the client
 * packages are optional peer dependencies, loaded only then).
 */
export { distribute, distributed, type DistributeOptions, type DistributeResult, type DistributedRun, type RunOptions, type RunStats } from "./coordinator.js";
export { startWorker, type WorkerOptions, type DistributedWorker } from "./worker.js";
export { natsTransport, type NatsOptions, type NatsModules } from "./nats.js";
export { memoryTransport, type Transport, type Channel, type Bytes, type Delivery, type Sub } from "./transport.js";
export type { ConnectionOptions } from "./connect.js";
export type { FitnessModule } from "../drivers/pool.js";
