import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbortTaskRunError, createWorker, runs, step, task, type DurabullWorker } from "../../src/index.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { jobOf, waitForStatus } from "../support/run-helpers.js";

const env = useDurabull();
const fastRetry = { maxAttempts: 3, minTimeoutInMs: 20, maxTimeoutInMs: 50, factor: 2, randomize: false };
const counter = (name: string) => `${env.prefix}:count:${name}`;
const count = async (name: string) => Number((await env.redis.get(counter(name))) ?? 0);
const hookCalls: string[] = [];

const flaky = task({
  id: "flaky",
  retry: fastRetry,
  onStart: ({ ctx }) => void hookCalls.push(`start ${ctx.run.id} attempt ${ctx.attempt.number}`),
  onSuccess: ({ ctx, output }) => void hookCalls.push(`success ${ctx.run.id} ${JSON.stringify(output)}`),
  onFailure: ({ ctx }) => void hookCalls.push(`failure ${ctx.run.id}`),
  run: async (_: void, { ctx }) => {
    await step.run("before", () => env.redis.incr(counter("flaky-before")));
    if (ctx.attempt.number < 3) throw new Error(`blip on attempt ${ctx.attempt.number}`);
    return { attempt: ctx.attempt.number };
  },
});

const aborting = task({
  id: "aborting",
  retry: fastRetry,
  run: async () => {
    await env.redis.incr(counter("aborting"));
    throw new AbortTaskRunError("invoice does not exist");
  },
});

const alwaysFailing = task({
  id: "always-failing",
  retry: fastRetry,
  onFailure: ({ ctx, error }) => void hookCalls.push(`failure ${ctx.run.id} ${(error as Error).message}`),
  run: async (_: void, { ctx }) => {
    await env.redis.incr(counter("always"));
    throw new Error(`downstream 503 on attempt ${ctx.attempt.number}`);
  },
});

const reordering = task({
  id: "reordering",
  retry: { ...fastRetry, maxAttempts: 5 },
  run: async (_: void, { ctx }) => {
    if (ctx.attempt.number === 1) {
      await step.run("a", () => 1);
      await step.run("b", () => 2);
      throw new Error("first attempt fails after two steps");
    }
    await step.run("b", () => 2);
    await step.run("a", () => 1);
    return "unreachable";
  },
});

const fixable = task({
  id: "fixable",
  retry: fastRetry,
  run: async (_: void, { ctx }) => {
    await step.run("before", () => env.redis.incr(counter(`fixable-${ctx.run.id}`)));
    if ((await env.redis.get(counter("fixed"))) === null) throw new AbortTaskRunError("config missing");
    return "fixed";
  },
});

describe("retries", () => {
  let worker: DurabullWorker;
  beforeAll(async () => {
    worker = await createWorker({ tasks: [flaky, aborting, alwaysFailing, reordering, fixable], concurrency: 4 });
  });
  afterAll(() => worker.close());

  it("retries a task that throws twice and completes it on attempt 3, without re-running finished steps", async () => {
    const { id } = await flaky.trigger();
    const done = await waitForStatus(id, "COMPLETED");
    expect(done.output).toEqual({ attempt: 3 });
    expect(done.attemptCount).toBe(3);
    expect(await count("flaky-before")).toBe(1);
    expect(hookCalls.filter((call) => call.includes(id))).toEqual([`start ${id} attempt 1`, `success ${id} {"attempt":3}`]);
  });

  it("fails at once on AbortTaskRunError", async () => {
    const { id } = await aborting.trigger();
    const failed = await waitForStatus(id, "FAILED");
    expect(failed.attemptCount).toBe(1);
    expect(failed.error).toMatchObject({ name: "AbortTaskRunError", code: "ABORT_TASK_RUN", message: "invoice does not exist" });
    expect(await count("aborting")).toBe(1);
  });

  it("ends FAILED with the last error once attempts run out", async () => {
    const { id } = await alwaysFailing.trigger();
    const failed = await waitForStatus(id, "FAILED");
    expect(failed.attemptCount).toBe(3);
    expect(failed.error?.message).toBe("downstream 503 on attempt 3");
    expect(await count("always")).toBe(3);
    expect(failed.finishedAt).toBeInstanceOf(Date);
    expect(hookCalls).toContain(`failure ${id} downstream 503 on attempt 3`);
  });

  it("resumes a failed run retried by hand in BullMQ (as Bull Board's retry does) from its journal", async () => {
    const { id } = await fixable.trigger();
    await waitForStatus(id, "FAILED");
    await env.redis.set(counter("fixed"), "1");
    await (await jobOf("fixable", id))!.retry("failed");
    const done = await waitForStatus(id, "COMPLETED");
    expect(done.output).toBe("fixed");
    expect(done.error).toBeUndefined();
    expect(await count(`fixable-${id}`)).toBe(1);
  });

  it("fails with NonDeterminismError when durable calls change order between attempts, without more retries", async () => {
    const { id } = await reordering.trigger();
    const failed = await waitForStatus(id, "FAILED");
    expect(failed.attemptCount).toBe(2);
    expect(failed.error).toMatchObject({ name: "NonDeterminismError", code: "NON_DETERMINISM" });
    expect(failed.error?.message).toContain('Durable call #0 is step.run("b"), but the run\'s journal recorded step.run("a")');
    expect((await runs.retrieve(id)).status).toBe("FAILED");
  });
});
