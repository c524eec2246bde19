/**
 * Telling "Redis did not answer" apart from every other error: the connection is gone or was
 * refused, or ioredis ran out of retries for a command while reconnecting; and whether a
 * connection knows Redis is away before a command is even tried.
 */
import type { Redis } from "ioredis";
import { RedisUnavailableError } from "../errors/redis-unavailable-error.js";

/** Messages ioredis and Node give when Redis is away. */
const REDIS_AWAY = /Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|EPIPE|Stream isn't writeable|max retries per request/i;

/** Connection states in which ioredis knows Redis is away (it is retrying, or gave up). */
const AWAY_STATES = new Set(["reconnecting", "close", "end"]);

/** Whether an error says Redis did not answer. */
export function isRedisUnavailable(error: unknown): boolean {
  if (error instanceof RedisUnavailableError) return true;
  return error instanceof Error && (error.name === "MaxRetriesPerRequestError" || REDIS_AWAY.test(error.message));
}

/** Whether any of these connections knows Redis is away right now. */
export function isAway(...clients: (Redis | undefined)[]): boolean {
  return clients.some((client) => client !== undefined && AWAY_STATES.has(client.status));
}
