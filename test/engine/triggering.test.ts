import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConfigurationError,
  createWorker,
  OutsideRunError,
  RunNotFoundError,
  runs,
  schemaTask,
  step,
  task,
  tasks,
  TaskPayloadError,
  wait,
  type DurabullWorker,
} from "../../src/index.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { jobStateOf, waitForStatus } from "../support/run-helpers.js";

const env = useDurabull();

const invoice = schemaTask({
  id: "invoice",
  schema: z.object({ organizationId: z.string().min(1), totalPages: z.number().int().positive() }),
  run: async (payload) => payload.totalPages * 2,
});

const echo = task({
  id: "echo",
  run: async (payload: { value: unknown }, { ctx }) => ({ value: payload.value, queue: ctx.queue.name }),
});

const nesting = task({
  id: "nesting",
  run: async () => step.run("outer", () => step.run("inner", () => 1)),
});

async function keysUnderPrefix(): Promise<string[]> {
  return env.redis.keys(`${env.prefix}:*`);
}

describe("schemaTask", () => {
  it("throws a typed validation error at trigger and writes nothing", async () => {
    const before = await keysUnderPrefix();
    let error: unknown;
    try {
      await invoice.trigger({ organizationId: "", totalPages: 1.5 });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(TaskPayloadError);
    expect((error as TaskPayloadError).code).toBe("TASK_PAYLOAD_INVALID");
    expect((error as TaskPayloadError).issues.map((issue) => issue.path)).toEqual([["organizationId"], ["totalPages"]]);
    expect(await keysUnderPrefix()).toEqual(before);
    expect(await env.redis.exists(`${env.prefix}:{invoice}:bull:invoice:id`)).toBe(0);
    expect(await invoice.batchTrigger([{ payload: { organizationId: "o", totalPages: 1 } }, { payload: { organizationId: "o", totalPages: -1 } }]).catch((e) => e)).toBeInstanceOf(TaskPayloadError);
    expect(await keysUnderPrefix()).toEqual(before);
  });

  it("refuses a payload that is not JSON-serialisable, and bad options", async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(echo.trigger({ value: circular })).rejects.toThrow(/payload is not JSON-serialisable/);
    await expect(echo.trigger({ value: 1n })).rejects.toBeInstanceOf(TaskPayloadError);
    await expect(echo.trigger({ value: 1 }, { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) })).rejects.toThrow(ConfigurationError);
    await expect(echo.trigger({ value: 1 }, { delay: "soon" })).rejects.toThrow(/delay must be a duration/);
    await expect(echo.trigger({ value: 1 }, { queue: "no:colons" })).rejects.toThrow(/queue name must be/);
    await expect(echo.trigger({ value: 1 }, { concurrencyKey: "x" } as never)).rejects.toThrow(/Unrecognized key/);
    await expect(echo.trigger({ value: 1 }, { priority: -1 })).rejects.toThrow(/priority/);
  });
});

describe("defining tasks", () => {
  it("rejects bad task options with what was wrong", () => {
    expect(() => task({ id: "has space", run: async () => 1 })).toThrow(/task id must be/);
    expect(() => task({ id: "no-run" } as never)).toThrow(/run: must be a function/);
    expect(() => task({ id: "bad-retry", retry: { maxAttempts: 0 }, run: async () => 1 })).toThrow(/maxAttempts/);
    expect(() => task({ id: "echo", run: async () => 1 })).toThrow(/already defined/);
    expect(() => schemaTask({ id: "no-schema", schema: {} as never, run: async () => 1 })).toThrow(/schema must be a zod schema/);
  });

  it("refuses durable calls outside a run", async () => {
    expect(() => step.run("x", () => 1)).toThrow(OutsideRunError);
    expect(() => step.run("x", () => 1)).toThrow(/^step\.run\("x"\) can only be called inside/);
    expect(() => wait.for({ seconds: 1 })).toThrow(/wait.for\(\) can only be called inside a task's run function/);
  });
});

describe("running", () => {
  let worker: DurabullWorker;
  beforeAll(async () => {
    worker = await createWorker({ tasks: { invoice, echo, nesting, notATask: 42 } });
  });
  afterAll(() => worker.close());

  it("triggers by task id, with tags, and batch-triggers in order", async () => {
    const byId = await tasks.trigger<typeof echo>("echo", { value: "by id" }, { tags: ["a", "b"] });
    const done = await waitForStatus(byId.id, "COMPLETED");
    expect(done.output).toEqual({ value: "by id", queue: "echo" });
    expect(done.tags).toEqual(["a", "b"]);

    const batch = await invoice.batchTrigger([1, 2, 3].map((totalPages) => ({ payload: { organizationId: "o", totalPages } })));
    expect(batch.batchId).toMatch(/^batch_/);
    const outputs = await Promise.all(batch.runs.map(async (run) => (await waitForStatus(run.id, "COMPLETED")).output));
    expect(outputs).toEqual([2, 4, 6]);

    const viaTasks = await tasks.batchTrigger<typeof echo>("echo", [{ payload: { value: 1 } }, { payload: { value: 2 } }]);
    expect(viaTasks.runs).toHaveLength(2);
  });

  it("finds the queue of a task it does not define through the registry workers publish, and refuses an unknown task", async () => {
    await env.redis.hset(`${env.prefix}:{registry}:tasks`, "remote-only", JSON.stringify({ queue: "remote-queue" }));
    const { id } = await tasks.trigger("remote-only", { x: 1 });
    expect(await jobStateOf("remote-queue", id)).toBe("prioritized");
    await expect(tasks.trigger("never-published", {})).rejects.toMatchObject({ code: "UNKNOWN_TASK", taskId: "never-published" });
    expect(await env.redis.sismember(`${env.prefix}:{registry}:queues`, "never-published")).toBe(0);
  });

  it("holds a delayed run as DELAYED until its delay passes", async () => {
    const { id } = await echo.trigger({ value: "later" }, { delay: "1s" });
    expect((await runs.retrieve(id)).status).toBe("DELAYED");
    await waitForStatus(id, "COMPLETED");
  });

  it("fails a run that nests durable calls inside a step", async () => {
    const { id } = await nesting.trigger();
    const failed = await waitForStatus(id, "FAILED");
    expect(failed.error).toMatchObject({ code: "NESTED_DURABLE_CALL", message: expect.stringContaining('step.run("inner") was called inside step.run("outer")') });
    expect(failed.attemptCount).toBe(1);
  });

  it("says RunNotFoundError for an unknown or malformed id", async () => {
    await expect(runs.retrieve("run_00000000000000000000000000")).rejects.toBeInstanceOf(RunNotFoundError);
    await expect(runs.retrieve("../../etc")).rejects.toMatchObject({ code: "RUN_NOT_FOUND" });
  });
});
