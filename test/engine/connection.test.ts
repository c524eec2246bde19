import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { configure, createWorker, disconnect, RedisUnavailableError, task } from "../../src/index.js";
import { MemoryLogger, useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";

const env = useDurabull();
const ping = task({ id: "ping-instance", run: async () => "pong" });

describe("an ioredis instance as the connection", () => {
  it("is used for triggering and working, and never closed by durabull", async () => {
    const instance = new Redis(env.url);
    configure({ connection: instance, prefix: env.prefix, logger: new MemoryLogger() });
    const worker = await createWorker({ tasks: [ping] });
    const { id } = await ping.trigger();
    expect((await waitForStatus(id, "COMPLETED")).output).toBe("pong");
    await worker.close();
    await disconnect();
    expect(instance.status).toBe("ready");
    expect(await instance.ping()).toBe("PONG");
    await instance.quit();
  });
});

describe("a connection Redis does not answer", () => {
  it("fails the worker's start with RedisUnavailableError naming where it looked, a socket path too", async () => {
    const socket = join(tmpdir(), `durabull-no-redis-${process.pid}.sock`);
    configure({ connection: { path: socket, maxRetriesPerRequest: 1 }, prefix: env.prefix, logger: new MemoryLogger() });
    const starting = createWorker({ tasks: [ping] });
    await expect(starting).rejects.toBeInstanceOf(RedisUnavailableError);
    await expect(starting).rejects.toThrow(`The worker could not start with Redis at unix:${socket}`);
    await disconnect();
  });
});
