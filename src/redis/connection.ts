/**
 * Redis connections. Users pass what BullMQ accepts — a URL, ioredis options, or an ioredis
 * instance — and durabull makes the two kinds of connection it needs from it: a command
 * connection (journal writes, triggers) that fails a command after a few retries instead of
 * hanging, and worker connections with `maxRetriesPerRequest: null`, as BullMQ's blocking
 * commands require.
 */
import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "../config/logger.js";

/** What `configure({ connection })` accepts. */
export type ConnectionInput = string | RedisOptions | Redis;

/** The default when neither `connection` nor `DURABULL_REDIS_URL` is given. */
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

/** A connection and whether durabull made it (and so must close it). */
export interface OwnedConnection {
  client: Redis;
  owned: boolean;
}

/** The connection for durabull's own commands. */
export function commandConnection(input: ConnectionInput): OwnedConnection {
  if (input instanceof Redis) return { client: input, owned: false };
  return { client: newClient(input, {}), owned: true };
}

/**
 * A connection of its own for BullMQ producers. BullMQ defines its ~60 Lua scripts on the
 * connection it is given, and ioredis copies every script of a connection into each MULTI it
 * builds, so sharing one connection would make every durabull transaction pay for them.
 */
export function producerConnection(input: ConnectionInput): Redis {
  if (input instanceof Redis) return input.duplicate();
  return newClient(input, {});
}

/** A new connection for a BullMQ worker: retries a command for as long as Redis is away. */
export function workerConnection(input: ConnectionInput): Redis {
  if (input instanceof Redis) return input.duplicate({ maxRetriesPerRequest: null });
  return newClient(input, { maxRetriesPerRequest: null });
}

function newClient(input: string | RedisOptions, overrides: RedisOptions): Redis {
  if (typeof input === "string") return new Redis(input, overrides);
  return new Redis({ ...input, ...overrides });
}

/**
 * Where a connection points, for messages: host and port (and database) or socket path, never a
 * password. Read from the connection's own parsed options, so a URL, a socket path and options
 * all describe alike.
 */
export function describeConnection(client: Redis): string {
  const { path, host, port, db, tls } = client.options;
  const database = db ? `/${db}` : "";
  if (path) return `unix:${path}${database}`;
  return `${tls ? "rediss" : "redis"}://${host ?? "127.0.0.1"}:${port ?? 6379}${database}`;
}

/**
 * Logs a connection's outages: once when Redis stops answering (ioredis keeps retrying), and once
 * when it answers again — instead of ioredis's "unhandled error" on every retry.
 */
export function reportOutages(client: Redis, name: string, logger: Logger): void {
  let down = false;
  client.on("error", (error: Error) => {
    if (down) return;
    down = true;
    logger.error(`Redis connection (${name}) lost: ${error.message}; retrying`);
  });
  client.on("ready", () => {
    if (!down) return;
    down = false;
    logger.info(`Redis connection (${name}) back`);
  });
}

/** Closes a connection politely, or at once if Redis does not answer. */
export async function closeConnection(client: Redis): Promise<void> {
  if (client.status === "end") return;
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
