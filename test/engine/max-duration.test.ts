import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorker, step, task, wait, type DurabullWorker } from "../../src/index.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";

const env = useDurabull();
const failures: string[] = [];

const runaway = task({
  id: "runaway",
  maxDuration: 0.5,
  retry: { maxAttempts: 3, minTimeoutInMs: 10, maxTimeoutInMs: 10 },
  onFailure: ({ error }) => void failures.push((error as Error).name),
  run: async (_: void, { signal, ctx }) => {
    await step.run("long", async () => {
      await env.redis.incr(`${env.prefix}:runaway:${ctx.run.id}`);
      await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
      await env.redis.set(`${env.prefix}:aborted:${ctx.run.id}`, String(signal.reason?.name));
    });
    return "unreachable";
  },
});

const patient = task({
  id: "patient",
  maxDuration: 1,
  run: async () => {
    await wait.for({ seconds: 1.5 });
    await step.run("quick", () => 1);
    return "waits do not count";
  },
});

describe("maxDuration", () => {
  let worker: DurabullWorker;
  beforeAll(async () => {
    worker = await createWorker({ tasks: [runaway, patient] });
  });
  afterAll(() => worker.close());

  it("ends a run that executes too long TIMED_OUT, aborting its signal, without retrying", async () => {
    const { id } = await runaway.trigger();
    const timedOut = await waitForStatus(id, "TIMED_OUT");
    expect(timedOut.error).toMatchObject({ name: "MaxDurationError", code: "MAX_DURATION_EXCEEDED" });
    expect(timedOut.attemptCount).toBe(1);
    await expect.poll(() => env.redis.get(`${env.prefix}:aborted:${id}`)).toBe("MaxDurationError");
    expect(await env.redis.get(`${env.prefix}:runaway:${id}`)).toBe("1");
    expect(failures).toEqual(["MaxDurationError"]);
  });

  it("does not count time spent parked", async () => {
    const { id } = await patient.trigger();
    expect((await waitForStatus(id, "COMPLETED")).output).toBe("waits do not count");
  });
});
