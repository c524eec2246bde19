import { describe, expect, it } from "vitest";
import { AbortTaskRunError, createWorker, queue, queues, runs, step, task, wait } from "../../src/index.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";

const env = useDurabull();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mark = (name: string) => `${env.prefix}:mark:${name}`;

const quick = task({ id: "quick-run", queue: "pausable", run: async ({ n }: { n: number }) => void (await env.redis.incr(mark(`started-${n}`))) });
const sleeper = task({
  id: "sleeps-one-second",
  queue: "pausable",
  run: async () => {
    await wait.for({ seconds: 1 });
    await env.redis.set(mark("sleeper-resumed"), "1");
  },
});
const late = task({ id: "late-queue-run", run: async () => "ran" });

const counted = queue({ name: "counted", concurrencyLimit: 1 });
const blocker = task({
  id: "blocker",
  queue: counted,
  run: async () => {
    while ((await env.redis.get(mark("release"))) === null) await sleep(20);
  },
});
const parker = task({ id: "parker", queue: counted, run: async () => void (await wait.for({ minutes: 1 })) });
const failer = task({
  id: "failer",
  queue: counted,
  run: async () => {
    throw new AbortTaskRunError("no");
  },
});
const finisher = task({ id: "finisher", queue: counted, run: async () => step.run("x", () => 1) });

describe("pausing queues", () => {
  it("starts nothing and resumes no parked run while paused, for any worker, and finishes everything after resume", async () => {
    const first = await createWorker({ tasks: [quick, sleeper] });
    const parked = await sleeper.trigger();
    await waitForStatus(parked.id, "WAITING");
    await queues.pause("pausable");
    const triggered = await quick.batchTrigger([1, 2, 3].map((n) => ({ payload: { n } })));
    await sleep(2_000);
    expect(await env.redis.exists(mark("started-1"), mark("started-2"), mark("started-3"), mark("sleeper-resumed"))).toBe(0);
    expect((await queues.retrieve("pausable")).paused).toBe(true);
    await first.close();

    const second = await createWorker({ tasks: [quick, sleeper] });
    try {
      await sleep(1_000);
      expect(await env.redis.exists(mark("started-1"), mark("sleeper-resumed"))).toBe(0);
      await queues.resume("pausable");
      for (const { id } of [...triggered.runs, parked]) await waitForStatus(id, "COMPLETED");
      expect(await env.redis.mget(mark("started-1"), mark("started-2"), mark("started-3"), mark("sleeper-resumed"))).toEqual(["1", "1", "1", "1"]);
    } finally {
      await second.close();
    }
  });

  it("pauses every queue at once, queues that appear later included, until all are resumed", async () => {
    await quick.trigger({ n: 9 });
    expect(await queues.pauseAll()).toContain("pausable");
    const { id } = await late.trigger();
    const worker = await createWorker({ tasks: [late] });
    try {
      await sleep(1_500);
      expect((await runs.retrieve(id)).status).toBe("QUEUED");
      expect((await queues.retrieve("late-queue-run")).paused).toBe(true);
      expect(await queues.resumeAll()).toEqual(expect.arrayContaining(["late-queue-run", "pausable"]));
      await waitForStatus(id, "COMPLETED");
      expect((await queues.list()).every((details) => !details.paused)).toBe(true);
    } finally {
      await worker.close();
    }
  });
});

describe("queue details", () => {
  it("counts queued, executing, waiting, delayed, completed and failed runs, with the paused flag and concurrency limit", async () => {
    const worker = await createWorker({ tasks: [blocker, parker, failer, finisher] });
    try {
      await waitForStatus((await finisher.trigger()).id, "COMPLETED");
      await waitForStatus((await failer.trigger()).id, "FAILED");
      await waitForStatus((await parker.trigger()).id, "WAITING");
      await parker.trigger(undefined, { delay: "1m" });
      const executing = await blocker.trigger();
      await waitForStatus(executing.id, "EXECUTING");
      await finisher.batchTrigger([{ payload: undefined }, { payload: undefined }]);
      expect(await queues.retrieve("counted")).toEqual({
        name: "counted",
        paused: false,
        concurrencyLimit: 1,
        counts: { queued: 2, executing: 1, waiting: 1, delayed: 1, completed: 1, failed: 1 },
      });
      await env.redis.set(mark("release"), "1");
    } finally {
      await worker.close();
    }
  });

  it("drops a queue's limit once its tasks no longer give one, and refuses tasks that disagree", async () => {
    const unlimited = task({ id: "unlimited", queue: "counted", run: async () => "ok" });
    await (await createWorker({ tasks: [unlimited] })).close();
    expect((await queues.retrieve("counted")).concurrencyLimit).toBeNull();
    const other = task({ id: "other-limit", queue: queue({ name: "counted", concurrencyLimit: 3 }), run: async () => "ok" });
    await expect(createWorker({ tasks: [finisher, other] })).rejects.toThrow(/different concurrency limits: 1, 3/);
  });
});
