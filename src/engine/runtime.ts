/**
 * The runtime of one process: resolved settings, the command connection, the key schema and
 * BullMQ producer queues, made on first use. `configure()` replaces it; `disconnect()` closes
 * what it opened.
 */
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { resolveSettings, type DurabullOptions, type Settings } from "../config/settings.js";
import { closeConnection, commandConnection, producerConnection, reportOutages, workerConnection } from "../redis/connection.js";
import { RedisKeys } from "../redis/keys.js";
import { isAway } from "../redis/redis-errors.js";
import { RedisUnavailableError } from "../errors/redis-unavailable-error.js";
import { textOf, type LazyText } from "./lazy-text.js";

/** Connections and naming for one process. */
export class Runtime {
  readonly keys: RedisKeys;
  private connection: { client: Redis; owned: boolean } | undefined;
  private producers: Redis | undefined;
  private readonly queues = new Map<string, Queue>();

  constructor(readonly settings: Settings) {
    this.keys = new RedisKeys(settings.prefix);
  }

  /** The shared connection for durabull's commands, opened on first use. */
  get client(): Redis {
    if (!this.connection) {
      this.connection = commandConnection(this.settings.connection);
      if (this.connection.owned) reportOutages(this.connection.client, "commands", this.settings.logger);
    }
    return this.connection.client;
  }

  /**
   * Throws RedisUnavailableError for `what` when a connection of this process knows Redis is away
   * (it is reconnecting): callers fail at once instead of waiting out ioredis's retries. `what`
   * may be a function, for a description that costs something to build: it is built for the error.
   */
  assertRedisReachable(what: LazyText): void {
    if (!isAway(this.connection?.client, this.producers)) return;
    throw new RedisUnavailableError(textOf(what), new Error("the connection is reconnecting"));
  }

  /** A new connection for a BullMQ worker; the caller closes it. */
  newWorkerConnection(): Redis {
    return workerConnection(this.settings.connection);
  }

  /** The BullMQ producer for a queue, made on first use and shared. */
  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      if (!this.producers) {
        this.producers = producerConnection(this.settings.connection);
        reportOutages(this.producers, "producers", this.settings.logger);
      }
      queue = new Queue(name, { connection: this.producers, prefix: this.keys.bullPrefix(name) });
      queue.on("error", (error) => this.settings.logger.error(`queue "${name}": ${error.message}`));
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Closes the producer queues and the connections durabull opened. */
  async close(): Promise<void> {
    const queues = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(queues.map((queue) => queue.close()));
    const { connection, producers } = this;
    this.connection = undefined;
    this.producers = undefined;
    if (producers) await closeConnection(producers);
    if (connection?.owned) await closeConnection(connection.client);
  }
}

let current: Runtime | undefined;

/** The process's runtime, made from the environment on first use. */
export function runtime(): Runtime {
  current ??= new Runtime(resolveSettings());
  return current;
}

/**
 * Sets durabull up for this process: which Redis, which key prefix, the secret key and the
 * public URL. Call it once at start-up, before triggering or starting a worker; a second call
 * closes the connections the first one opened. Without it, the `DURABULL_*` environment is used.
 *
 * @example
 * configure({ connection: process.env.REDIS_URL, prefix: "myapp" });
 */
export function configure(options: DurabullOptions = {}): void {
  const next = new Runtime(resolveSettings(options));
  const previous = current;
  current = next;
  previous?.close().catch((error: unknown) => next.settings.logger.warn(`closing the previous connections failed: ${(error as Error).message}`));
}

/**
 * Closes the connections durabull opened in this process (not an instance you passed in), so
 * the process can exit. Workers are closed with their own `close()`.
 */
export async function disconnect(): Promise<void> {
  const previous = current;
  current = undefined;
  if (previous) await previous.close();
}
