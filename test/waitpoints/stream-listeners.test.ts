import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runtime } from "../../src/engine/runtime.js";
import {
  ConfigurationError,
  createWorker,
  InputStreamFullError,
  InputStreamValueTooLargeError,
  OutsideRunError,
  runs,
  streams,
  task,
  wait,
  type DurabullWorker,
} from "../../src/index.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";

const env = useDurabull({ secretKey: "listeners-secret-0123456789abc", inputStreamLimit: 5 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mark = (runId: string, name: string) => `${env.prefix}:mark:${runId}:${name}`;

const cancelSignal = streams.input<{ reason?: string }>({ id: "cancel" });
const userInput = streams.input<{ choice: "a" | "b" | "c" }>({ id: "user-input" });
const messages = streams.input<string>({ id: "messages" });

/** Sleeps `ms`, or rejects with the signal's reason as soon as it aborts. */
function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}

/** Polls plain in-memory state (no durable call) until `ready` holds. */
async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await sleep(10);
}

const interactive = task({
  id: "interactive",
  retry: { maxAttempts: 1 },
  run: async (_payload: undefined, { ctx }) => {
    const { choice } = await userInput.wait({ timeout: "1m" }).unwrap();
    const controller = new AbortController();
    const sub = cancelSignal.on((value) => controller.abort(value.reason ?? "canceled"));
    let rounds = 0;
    try {
      await env.redis.set(mark(ctx.run.id, "working"), "1");
      for (; rounds < 400; rounds += 1) await abortableSleep(25, controller.signal);
      return { choice, finished: true, rounds };
    } catch (reason) {
      return { choice, canceled: String(reason), rounds };
    } finally {
      sub.off();
    }
  },
});

const onceFromBuffer = task({
  id: "once-from-buffer",
  run: async () => {
    await wait.for({ seconds: 1 });
    const newest = await messages.peek();
    const first = await messages.once({ timeoutMs: 5_000 });
    return { newest, first, after: await messages.peek() };
  },
});

const onceLive = task({
  id: "once-live",
  run: async (_payload: undefined, { ctx }) => {
    await env.redis.set(mark(ctx.run.id, "listening"), "1");
    const value = await messages.once({ timeoutMs: 10_000 });
    await wait.for({ seconds: 0.5 });
    return value;
  },
});

const onceEnds = task({
  id: "once-ends",
  run: async () => {
    const outcomes: string[] = [];
    try {
      await messages.once({ timeoutMs: 150 });
    } catch (error) {
      outcomes.push(`${(error as Error).name} ${(error as { code?: string }).code}`);
    }
    const controller = new AbortController();
    setTimeout(() => controller.abort("stop listening"), 100);
    try {
      await messages.once({ signal: controller.signal });
    } catch (reason) {
      outcomes.push(String(reason));
    }
    await wait.for({ seconds: 0.5 });
    return outcomes;
  },
});

const onReplayed = task({
  id: "on-replayed",
  run: async (_payload: undefined, { ctx }) => {
    const seen: string[] = [];
    const sub = messages.on((value) => void seen.push(value));
    await until(() => seen.length >= 2);
    await env.redis.incr(mark(ctx.run.id, "executions"));
    await wait.for({ seconds: 1 });
    await until(() => seen.length >= 4);
    sub.off();
    return seen;
  },
});

const collector = task({
  id: "ordered-collector",
  run: async () => {
    const received: string[] = [];
    for (let i = 0; i < 5; i += 1) received.push(await messages.wait({ timeout: "1m" }).unwrap());
    return received;
  },
});

const throwingHandler = task({
  id: "throwing-handler",
  retry: { maxAttempts: 1 },
  run: async () => {
    messages.on(() => {
      throw new Error("handler broke");
    });
    await sleep(10_000);
    return "not reached";
  },
});

const TASKS = [interactive, onceFromBuffer, onceLive, onceEnds, onReplayed, collector, throwingHandler];

describe("input streams while a run executes", () => {
  let worker: DurabullWorker;
  beforeAll(async () => {
    worker = await createWorker({ tasks: TASKS, concurrency: 10 });
  });
  afterAll(() => worker.close());

  it("waits parked for a choice with .wait(), then .on() hears a cancel that aborts the work", async () => {
    const { id } = await interactive.trigger(undefined);
    await waitForStatus(id, "WAITING");
    await userInput.send(id, { choice: "b" });
    await expect.poll(() => env.redis.get(mark(id, "working")), { timeout: 10_000 }).toBe("1");
    await sleep(100);
    await cancelSignal.send(id, { reason: "user pressed stop" });
    const run = await waitForStatus(id, "COMPLETED");
    expect(run.output).toMatchObject({ choice: "b", canceled: "user pressed stop" });
    expect((run.output as { rounds: number }).rounds).toBeLessThan(400);
  });

  it(".once() resolves from the buffer, and .peek() shows the newest value without taking it", async () => {
    const { id } = await onceFromBuffer.trigger();
    await waitForStatus(id, "WAITING");
    await messages.send(id, "first");
    await messages.send(id, "second");
    expect((await waitForStatus(id, "COMPLETED")).output).toEqual({ newest: "second", first: "first", after: "second" });
  });

  it(".once() resolves when a value is sent while it listens, and a replay gets the same value", async () => {
    const { id } = await onceLive.trigger(undefined);
    await expect.poll(() => env.redis.get(mark(id, "listening")), { timeout: 10_000 }).toBe("1");
    await sleep(50);
    await messages.send(id, "live");
    await waitForStatus(id, "WAITING");
    await messages.send(id, "later");
    expect((await waitForStatus(id, "COMPLETED")).output).toBe("live");
    expect(await env.redis.lrange(runtime().keys.stream(id, "messages"), 0, -1)).toEqual(['"later"']);
  });

  it(".once() times out with InputStreamTimeoutError and rejects when its signal aborts, the same on replay", async () => {
    const { id } = await onceEnds.trigger();
    expect((await waitForStatus(id, "COMPLETED")).output).toEqual(["InputStreamTimeoutError INPUT_STREAM_TIMEOUT", "stop listening"]);
  });

  it(".on() hands every value once, in order, and a replay hands it the earlier ones again", async () => {
    const { id } = await onReplayed.trigger(undefined);
    await messages.send(id, "a");
    await messages.send(id, "b");
    await waitForStatus(id, "WAITING");
    await messages.send(id, "c");
    await expect.poll(() => env.redis.get(mark(id, "executions")), { timeout: 10_000 }).toBe("1");
    await expect.poll(async () => (await runs.retrieve(id)).status, { timeout: 10_000 }).toBe("EXECUTING");
    await messages.send(id, "d");
    expect((await waitForStatus(id, "COMPLETED")).output).toEqual(["a", "b", "c", "d"]);
  });

  it("fails the run when an .on() handler throws", async () => {
    const { id } = await throwingHandler.trigger();
    await waitForStatus(id, "EXECUTING");
    await messages.send(id, "boom");
    const run = await waitForStatus(id, "FAILED");
    expect(run.error?.message).toBe("handler broke");
  });

  it("refuses values over 1 MB and sends beyond the configured buffer, and misuse outside a run", async () => {
    const { id } = await onceFromBuffer.trigger();
    await waitForStatus(id, "WAITING");
    await expect(messages.send(id, "x".repeat(1024 * 1024 + 1))).rejects.toBeInstanceOf(InputStreamValueTooLargeError);
    for (let i = 0; i < 5; i += 1) await messages.send(id, `v${i}`);
    await expect(messages.send(id, "v5")).rejects.toBeInstanceOf(InputStreamFullError);
    expect(() => messages.once()).toThrow(OutsideRunError);
    expect(() => messages.on(() => undefined)).toThrow(OutsideRunError);
    expect(() => messages.peek()).toThrow(OutsideRunError);
    expect((await waitForStatus(id, "COMPLETED")).output).toEqual({ newest: "v4", first: "v0", after: "v4" });
  });
});

describe("values sent while the run's worker is away", () => {
  it("arrive in order, none lost, after a worker restart while the run is parked", async () => {
    const first = await createWorker({ tasks: TASKS });
    const { id } = await collector.trigger();
    await waitForStatus(id, "WAITING");
    await first.close();
    for (const value of ["1", "2", "3", "4", "5"]) await messages.send(id, value);
    const second = await createWorker({ tasks: TASKS });
    try {
      expect((await waitForStatus(id, "COMPLETED")).output).toEqual(["1", "2", "3", "4", "5"]);
    } finally {
      await second.close();
    }
  });

  it("checks .once() options", async () => {
    const checked = task({
      id: "once-options",
      retry: { maxAttempts: 1 },
      run: async () => messages.once({ timeoutMs: -1 }),
    });
    const worker = await createWorker({ tasks: [checked] });
    try {
      const run = await waitForStatus((await checked.trigger()).id, "FAILED");
      expect(run.error).toMatchObject({ name: ConfigurationError.name });
    } finally {
      await worker.close();
    }
  });
});
