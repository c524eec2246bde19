/**
 * Per-file test setup: configures durabull with a prefix of its own on the shared test Redis,
 * gives the test a plain Redis client for assertions, and afterwards deletes the prefix's keys
 * (kept when a test failed, to inspect) and closes every connection.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, inject } from "vitest";
import type { Logger } from "../../src/config/logger.js";
import { configure, disconnect, type DurabullOptions } from "../../src/index.js";

/** Collects log lines instead of printing them; tests can assert on them. */
export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  info = (message: string): void => void this.lines.push(`info ${message}`);
  warn = (message: string): void => void this.lines.push(`warn ${message}`);
  error = (message: string): void => void this.lines.push(`error ${message}`);
}

/** What a test file gets. */
export interface TestEnv {
  url: string;
  prefix: string;
  /** A plain client on the test Redis, for assertions and side-effect counters. */
  redis: Redis;
  logger: MemoryLogger;
}

/** Sets durabull up for this test file; call at the top level of the file. */
export function useDurabull(options: Pick<DurabullOptions, "retention" | "secretKey" | "publicUrl" | "inputStreamLimit"> = {}): TestEnv {
  const env = {
    url: inject("redisUrl"),
    prefix: `t${randomBytes(4).toString("hex")}`,
    logger: new MemoryLogger(),
  } as TestEnv;
  let failed = false;
  beforeAll(() => {
    process.env.DURABULL_REDIS_URL = env.url;
    process.env.DURABULL_PREFIX = env.prefix;
    env.redis = new Redis(env.url);
    configure({ ...options, connection: env.url, prefix: env.prefix, logger: env.logger });
  });
  afterEach(({ task }) => {
    if (task.result?.state === "fail") failed = true;
  });
  afterAll(async () => {
    await disconnect();
    if (!failed) await deleteKeys(env.redis, `${env.prefix}:*`);
    await env.redis.quit();
  });
  return env;
}

/** Deletes every key matching `pattern`. */
export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== "0");
}
