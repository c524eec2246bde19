import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { createWorker, runs, step, task, wait, type DurabullWorker } from "../../src/index.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { jobOf, jobStateOf, waitForStatus } from "../support/run-helpers.js";

const env = useDurabull();

const threeSteps = task({
  id: "three-steps",
  queue: "shared",
  run: async (payload: { base: number }) => {
    const a = await step.run("one", async () => {
      await env.redis.incr(`${env.prefix}:count:one`);
      return payload.base + 1;
    });
    const b = await step.run("two", async () => {
      await env.redis.incr(`${env.prefix}:count:two`);
      return a * 10;
    });
    await wait.for({ seconds: 1 });
    const c = await step.run("three", async () => {
      await env.redis.incr(`${env.prefix}:count:three`);
      return `${b}!`;
    });
    return { a, b, c };
  },
});

const quick = task({
  id: "quick",
  queue: "shared",
  run: async () => "done",
});

describe("steps and wait.for", () => {
  let worker: DurabullWorker;
  beforeAll(async () => {
    worker = await createWorker({ tasks: [threeSteps, quick], concurrency: 1 });
  });
  afterAll(() => worker.close());

  it("completes with the right output, runs each step body once, and frees the worker while waiting", async () => {
    const { id, isCached } = await threeSteps.trigger({ base: 4 });
    expect(isCached).toBe(false);

    const waiting = await waitForStatus(id, "WAITING");
    expect(await jobStateOf("shared", id)).toBe("delayed");
    expect(waiting.waitingOn).toHaveLength(1);
    expect(waiting.waitingOn![0]!.kind).toBe("duration");
    expect(waiting.waitingOn![0]!.until.getTime()).toBeGreaterThan(Date.now() - 100);

    const other = await quick.trigger();
    const otherDone = await waitForStatus(other.id, "COMPLETED");
    expect(otherDone.output).toBe("done");
    expect((await runs.retrieve(id)).status).toBe("WAITING");

    const done = await waitForStatus(id, "COMPLETED");
    expect(done.output).toEqual({ a: 5, b: 50, c: "50!" });
    expect(done.attemptCount).toBe(1);
    expect(done.startedAt).toBeInstanceOf(Date);
    expect(done.finishedAt!.getTime()).toBeGreaterThanOrEqual(done.startedAt!.getTime() + 900);
    const counts = await env.redis.mget(`${env.prefix}:count:one`, `${env.prefix}:count:two`, `${env.prefix}:count:three`);
    expect(counts).toEqual(["1", "1", "1"]);
  });

  it("returns step results as JSON, the same on the first execution as on replay", async () => {
    const shapes = task({
      id: "json-shapes",
      run: async () => {
        const first = await step.run("date", () => new Date(0));
        await wait.for({ seconds: 0.2 });
        const nothing = await step.run("nothing", () => undefined);
        return { first, typeOfFirst: typeof first, nothing: nothing === undefined };
      },
    });
    const local = await createWorker({ tasks: [shapes] });
    try {
      const { id } = await shapes.trigger();
      const done = await waitForStatus(id, "COMPLETED");
      expect(done.output).toEqual({ first: "1970-01-01T00:00:00.000Z", typeOfFirst: "string", nothing: true });
    } finally {
      await local.close();
    }
  });
});

describe("several waits at once", () => {
  it("parks once, until the last has ended, and runs steps started beside them first", async () => {
    const fanIn = task({
      id: "fan-in-waits",
      run: async () => {
        const [, , stepped] = await Promise.all([
          wait.for({ seconds: 0.3 }),
          wait.for({ seconds: 1 }),
          step.run("beside", async () => {
            await new Promise((resolve) => setTimeout(resolve, 100));
            return "stepped";
          }),
        ]);
        return { stepped };
      },
    });
    const worker = await createWorker({ tasks: [fanIn] });
    try {
      const { id } = await fanIn.trigger();
      const waiting = await waitForStatus(id, "WAITING");
      expect(waiting.waitingOn).toHaveLength(2);
      const done = await waitForStatus(id, "COMPLETED");
      expect(done.output).toEqual({ stepped: "stepped" });
      expect((await jobOf("fan-in-waits", id))?.attemptsStarted).toBe(2);
    } finally {
      await worker.close();
    }
  });
});

describe("code left running when its run parks", () => {
  it("makes no durable call once the attempt has ended: its step and trigger happen once, on the replay", async () => {
    const counted = task({
      id: "left-running-child",
      run: async () => {
        await env.redis.incr(`${env.prefix}:count:left-child`);
      },
    });
    const parent = task({
      id: "left-running-parent",
      run: async () => {
        // A timer is not a durable call: the run parks on the wait while the timers run.
        const afterPark = () => new Promise((resolve) => setTimeout(resolve, 400));
        const [, stepped, child] = await Promise.all([
          wait.for({ seconds: 2.5 }),
          afterPark().then(() => step.run("after-park", () => env.redis.incr(`${env.prefix}:count:left-step`))),
          afterPark().then(() => counted.trigger()),
        ]);
        return { stepped, child: child.id };
      },
    });
    const worker = await createWorker({ tasks: [parent, counted] });
    try {
      const { id } = await parent.trigger();
      await waitForStatus(id, "WAITING");
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(await env.redis.mget(`${env.prefix}:count:left-step`, `${env.prefix}:count:left-child`)).toEqual([null, null]);

      const done = await waitForStatus(id, "COMPLETED");
      const { stepped, child } = done.output as { stepped: number; child: string };
      await waitForStatus(child, "COMPLETED");
      expect(stepped).toBe(1);
      expect(await env.redis.mget(`${env.prefix}:count:left-step`, `${env.prefix}:count:left-child`)).toEqual(["1", "1"]);
    } finally {
      await worker.close();
    }
  });
});

describe("where a run's code finds its run", () => {
  it("finds it after every await, but not in a timer's callback", async () => {
    const callbacks = task({
      id: "context-in-callbacks",
      run: async () => {
        const inCallback = await new Promise<string>((resolve) =>
          setTimeout(async () => {
            try {
              await step.run("in-callback", () => 1);
              resolve("journaled");
            } catch (error) {
              resolve((error as { code?: string }).code ?? "no code");
            }
          }, 5),
        );
        await sleep(5);
        const afterTimer = await step.run("after-timer", () => 2);
        const inPromiseCallback = await new Promise<number>((resolve) => setTimeout(() => resolve(3), 5)).then((n) => step.run("in-then", () => n));
        return { inCallback, afterTimer, inPromiseCallback };
      },
    });
    const worker = await createWorker({ tasks: [callbacks] });
    try {
      const { id } = await callbacks.trigger();
      const done = await waitForStatus(id, "COMPLETED");
      expect(done.output).toEqual({ inCallback: "OUTSIDE_RUN", afterTimer: 2, inPromiseCallback: 3 });
    } finally {
      await worker.close();
    }
  });
});
