/**
 * The start-up check that Redis will not evict keys. durabull keeps parked runs, journals and
 * tokens in Redis and nowhere else; an evicting policy would drop them silently.
 */
import type { Redis } from "ioredis";
import { EvictionPolicyError } from "../errors/eviction-policy-error.js";

/**
 * Throws EvictionPolicyError unless Redis' `maxmemory-policy` is `noeviction`. Reads it from
 * `INFO memory`, which managed Redis services answer even where `CONFIG` is disabled.
 */
export async function assertNoEviction(client: Redis): Promise<void> {
  const info = await client.info("memory");
  const match = /^maxmemory_policy:(\S+)/m.exec(info);
  const policy = match?.[1] ?? (await configuredPolicy(client));
  if (policy !== "noeviction") throw new EvictionPolicyError(policy);
}

async function configuredPolicy(client: Redis): Promise<string> {
  const reply = (await client.config("GET", "maxmemory-policy")) as string[];
  return reply[1] ?? "unknown";
}
