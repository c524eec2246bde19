import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configure, createWorker, disconnect, EvictionPolicyError, task } from "../../src/index.js";
import { RedisServerProcess } from "../../src/redis/redis-server-process.js";
import { MemoryLogger } from "../support/durabull-test-env.js";

const noop = task({ id: "noop", run: async () => 1 });

describe("start-up check of maxmemory-policy", () => {
  let server: RedisServerProcess;
  beforeAll(async () => {
    server = await RedisServerProcess.start({ args: ["--maxmemory-policy", "allkeys-lru"] });
    configure({ connection: server.url, prefix: "eviction", logger: new MemoryLogger() });
  });
  afterAll(async () => {
    await disconnect();
    await server.close();
  });

  it("refuses a Redis that can evict keys, saying how to fix it", async () => {
    const error = await createWorker({ tasks: [noop] }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(EvictionPolicyError);
    expect((error as EvictionPolicyError).code).toBe("EVICTION_POLICY");
    expect((error as Error).message).toMatch(/"allkeys-lru".*CONFIG SET maxmemory-policy noeviction/s);
  });

  it("starts once the policy is noeviction", async () => {
    const admin = new (await import("ioredis")).Redis(server.url);
    await admin.config("SET", "maxmemory-policy", "noeviction");
    await admin.quit();
    const worker = await createWorker({ tasks: [noop] });
    await worker.close();
  });
});
