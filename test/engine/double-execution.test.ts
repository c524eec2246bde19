/**
 * A run executing twice in one worker at once: its first attempt lost the job's lock, BullMQ's
 * stalled check handed the job out again, and the same worker took it while the first attempt
 * still ran. A cancel (or an input stream's value) must reach both attempts, not only the newer.
 * The job is taken with a manual BullMQ worker, so that the lock lapses when the test says.
 */
import { Worker } from "bullmq";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { task } from "../../src/index.js";
import { Executor } from "../../src/engine/executor.js";
import { RunStore } from "../../src/engine/run-store.js";
import { runtime } from "../../src/engine/runtime.js";
import { TASK_DEFINITION } from "../../src/engine/task-definition.js";
import { useDurabull } from "../support/durabull-test-env.js";

const env = useDurabull();
const QUEUE = "taken-twice";

const held = task({
  id: "held-until-canceled",
  queue: QUEUE,
  run: async (_: void, { signal }) => {
    await env.redis.incr(`${env.prefix}:started`);
    await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
    await env.redis.incr(`${env.prefix}:aborted`);
  },
});

describe("a run executing twice in one worker", () => {
  let manual: Worker;
  beforeAll(() => {
    manual = new Worker(QUEUE, null, {
      connection: runtime().newWorkerConnection(),
      prefix: runtime().keys.bullPrefix(QUEUE),
      lockDuration: 300,
      stalledInterval: 100,
      maxStalledCount: 5,
      autorun: false,
    });
  });
  afterAll(() => manual.close(true));

  const count = async (name: string) => Number(await env.redis.get(`${env.prefix}:${name}`));

  it("is canceled in both of its attempts", async () => {
    const executor = new Executor(runtime(), new RunStore(runtime()), new Map([[held.id, held[TASK_DEFINITION]]]));
    const { id } = await held.trigger();
    const first = await manual.getNextJob("first-lock");
    expect(first?.id).toBe(id);
    const firstAttempt = executor.process(first!, "first-lock").catch((error: unknown) => error);
    await vi.waitFor(async () => expect(await count("started")).toBe(1), { timeout: 10_000 });

    await sleep(400); // the first attempt's lock (300 ms) lapses, unrenewed: a manual worker renews nothing
    void manual.startStalledCheckTimer();
    const second = await vi.waitFor(
      async () => {
        const job = await manual.getNextJob("second-lock", { block: false });
        expect(job?.id).toBe(id);
        return job!;
      },
      { timeout: 10_000, interval: 50 },
    );
    const secondAttempt = executor.process(second, "second-lock").catch((error: unknown) => error);
    await vi.waitFor(async () => expect(await count("started")).toBe(2), { timeout: 10_000 });

    executor.cancel(id);
    await vi.waitFor(async () => expect(await count("aborted")).toBe(2), { timeout: 10_000 });
    const errors = await Promise.all([firstAttempt, secondAttempt]);
    expect(errors.map((error) => (error as Error).name)).toEqual(["RunCanceledError", "RunCanceledError"]);
  });
});
