import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorker, runs, step, task, tasks, TaskPayloadError, UnknownTaskError, type DurabullWorker } from "../../src/index.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";

const env = useDurabull();

const alwaysThrows = task({
  id: "always-throws",
  queue: "error-states",
  retry: { maxAttempts: 3, minTimeoutInMs: 10, maxTimeoutInMs: 20, factor: 1 },
  run: async () => {
    throw new Error("nope, again");
  },
});

const badOutput = task({
  id: "bad-output",
  queue: "error-states",
  retry: { maxAttempts: 2, minTimeoutInMs: 10, maxTimeoutInMs: 20, factor: 1 },
  run: async () => ({ big: 10n }),
});

const badStep = task({
  id: "bad-step",
  queue: "error-states",
  retry: { maxAttempts: 1 },
  run: async () => step.run("returns a bigint", () => 1n),
});

describe("runs that cannot succeed end in a clear error state, never stuck", () => {
  let worker: DurabullWorker;
  beforeAll(async () => {
    worker = await createWorker({ tasks: [alwaysThrows, badOutput, badStep] });
  });
  afterAll(() => worker.close());

  it("a run that throws on every attempt ends FAILED after its last attempt, with the error", async () => {
    const run = await waitForStatus((await alwaysThrows.trigger()).id, "FAILED");
    expect(run).toMatchObject({ attemptCount: 3, error: { name: "Error", message: "nope, again" } });
  });

  it("a task id no worker knows: refused at trigger, or, if its queue is served by workers that lack it, FAILED with UnknownTaskError", async () => {
    await expect(tasks.trigger("no-such-task", {})).rejects.toBeInstanceOf(UnknownTaskError);
    await env.redis.hset(`${env.prefix}:{registry}:tasks`, "retired-task", JSON.stringify({ queue: "error-states" }));
    const run = await waitForStatus((await tasks.trigger("retired-task", { x: 1 })).id, "FAILED");
    expect(run.error).toMatchObject({ name: "UnknownTaskError", code: "UNKNOWN_TASK" });
    expect(run.attemptCount).toBe(1);
  });

  it("a payload JSON cannot hold is refused at trigger; an output or step result it cannot hold fails the run", async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const before = await runs.list({ queue: "error-states", limit: 100 });
    await expect(alwaysThrows.trigger(circular as never)).rejects.toBeInstanceOf(TaskPayloadError);
    await expect(alwaysThrows.trigger({ amount: 1n } as never)).rejects.toThrow(/not JSON-serialisable/);
    expect(await runs.list({ queue: "error-states", limit: 100 })).toHaveLength(before.length);

    const output = await waitForStatus((await badOutput.trigger()).id, "FAILED");
    expect(output.error?.message).toMatch(/not JSON-serialisable/);
    const stepped = await waitForStatus((await badStep.trigger()).id, "FAILED");
    expect(stepped.error?.message).toMatch(/BigInt|serial/i);
  });
});
