/**
 * The Redis of `durabull dev`: DURABULL_REDIS_URL when set; else whatever answers on the default
 * address; else a private redis-server from the PATH, started on that address with its data
 * (append-only file) under the dev data directory — the embedded default, so a newcomer needs no
 * Redis running. Because it listens on the default address, the other commands (`durabull
 * tokens complete ...`) find it without configuration.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../config/logger.js";
import { answersPing, RedisServerProcess } from "../redis/redis-server-process.js";

/** Where dev's Redis is, and the private server if dev started one. */
export interface DevRedis {
  url: string;
  embedded?: RedisServerProcess;
}

/** Finds or starts dev's Redis. `port` is the default address's port (6379). */
export async function devRedis(options: { dataDir: string; port: number; logger: Logger }): Promise<DevRedis> {
  const configured = process.env.DURABULL_REDIS_URL;
  if (configured) return { url: configured };
  const url = `redis://127.0.0.1:${options.port}`;
  if (await answersPing(options.port)) {
    options.logger.info(`using the Redis answering on ${url}`);
    return { url };
  }
  const dir = join(options.dataDir, "redis");
  await mkdir(dir, { recursive: true });
  const embedded = await RedisServerProcess.start({ dir, port: options.port, appendfsync: "everysec" }).catch((error: unknown) => {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "redis-server is not on the PATH (install it, e.g. apt install redis-server)" : (error as Error).message;
    throw new Error(`Nothing answers on ${url} and no private Redis could be started: ${reason}. Or set DURABULL_REDIS_URL.`);
  });
  options.logger.info(`nothing answered on ${url}: started a private redis-server there (data in ${dir}; it stops with durabull dev)`);
  return { url, embedded };
}
