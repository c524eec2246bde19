import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { configure, createWorker, disconnect, task } from "../../src/index.js";
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
