import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configure, createWorker, disconnect, step, task, wait } from "../../src/index.js";
import { runtime } from "../../src/engine/runtime.js";
import { queueTag } from "../../src/redis/keys.js";
import { RedisServerProcess } from "../../src/redis/redis-server-process.js";
import { MemoryLogger } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";

const mixed = task({
  id: "mixed",
  queue: "billing",
  retry: { maxAttempts: 2, minTimeoutInMs: 10, maxTimeoutInMs: 10 },
  run: async (_: void, { ctx }) => {
    await step.run("one", () => 1);
    await wait.for({ seconds: 0.1 });
    if (ctx.attempt.number === 1) throw new Error("retry me");
    return "ok";
  },
});

describe("key layout", () => {
  let server: RedisServerProcess;
  beforeAll(async () => {
    server = await RedisServerProcess.start();
    configure({ connection: server.url, prefix: "acme", logger: new MemoryLogger(), secretKey: "key-layout-secret-0123456789" });
  });
  afterAll(async () => {
    await disconnect();
    await server.close();
  });

  it("puts every key under the prefix with a hash tag, and a queue's keys and its runs' under the queue's tag", async () => {
    const worker = await createWorker({ tasks: [mixed] });
    let id: string;
    try {
      ({ id } = await mixed.trigger(undefined, { tags: ["t"] }));
      await waitForStatus(id, "COMPLETED");
    } finally {
      await worker.close();
    }
    const admin = new Redis(server.url);
    const keys = await admin.keys("*");
    await admin.quit();
    expect(keys.length).toBeGreaterThan(5);
    for (const key of keys) expect(key).toMatch(/^acme:\{[^{}]+\}:/);
    const tags = new Set(keys.map((key) => /\{([^}]+)\}/.exec(key)![1]!));
    const billing = queueTag("billing");
    expect([...tags].sort()).toEqual([billing, "registry"].sort());
    expect(keys).toContain(`acme:{${billing}}:${id}`);
    expect(keys.filter((key) => key.includes(":bull:")).every((key) => key.startsWith(`acme:{${billing}}:bull:billing:`))).toBe(true);
  });

  it("keeps a run parked on a token in Redis's compact encodings: its job, record, token bucket and waiters are listpacks, and the token has no key of its own", async () => {
    const parked = task({
      id: "compact",
      run: async () => {
        await step.run("one", () => 1);
        await wait.forToken(await wait.createToken({ timeout: "1h" }));
      },
    });
    const worker = await createWorker({ tasks: [parked] });
    const admin = new Redis(server.url);
    try {
      const { id } = await parked.trigger(undefined);
      await waitForStatus(id, "WAITING");
      const [job, record] = [`${runtime().keys.bullPrefix("compact")}:compact:${id}`, runtime().keys.run(id)];
      const [bucket, waiters] = [await admin.keys("acme:{waitpoints}:tokens:*"), await admin.keys("acme:{waitpoints}:waiters:*")];
      expect([bucket, waiters].map((keys) => keys.length)).toEqual([1, 1]);
      expect(await admin.keys("acme:{waitpoints}:token:*")).toEqual([]);
      for (const key of [job, record, bucket[0]!, waiters[0]!]) expect([key, await admin.object("ENCODING", key)]).toEqual([key, "listpack"]);
      expect(await admin.hget(job, "opts")).not.toContain("attempts");
    } finally {
      await worker.close();
      await admin.quit();
    }
  });

  it("keeps the record of a run parked on a token keyed by its run id compact too", async () => {
    const keyed = task({
      id: "compact-keyed",
      run: async (_: void, { ctx }) => {
        await wait.forToken(await wait.createToken({ timeout: "1h", idempotencyKey: ctx.run.id }));
      },
    });
    const worker = await createWorker({ tasks: [keyed] });
    const admin = new Redis(server.url);
    try {
      const { id } = await keyed.trigger(undefined);
      await waitForStatus(id, "WAITING");
      expect(await admin.object("ENCODING", runtime().keys.run(id))).toBe("listpack");
    } finally {
      await worker.close();
      await admin.quit();
    }
  });
});
