import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorker, idempotencyKeys, RunCanceledError, runs, step, task, wait, type DurabullWorker } from "../../src/index.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";

const env = useDurabull({ secretKey: "cancel-secret-0123456789abcdef" });

const neverStarted = task({ id: "never-started", queue: "no-workers", run: async () => "unreachable" });

const sleeper = task({
  id: "long-sleeper",
  run: async () => {
    await wait.for({ minutes: 5 });
    await env.redis.incr(`${env.prefix}:woke`);
  },
});

const busy = task({
  id: "busy",
  retry: { maxAttempts: 3, minTimeoutInMs: 10, maxTimeoutInMs: 10 },
  run: async (_: void, { signal, ctx }) => {
    await env.redis.set(`${env.prefix}:busy:${ctx.run.id}`, "started");
    await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
    await env.redis.set(`${env.prefix}:busy:${ctx.run.id}`, `aborted by ${(signal.reason as Error).name}`);
    await step.run("after-abort", () => "never journaled");
  },
});

const tokenChild = task({
  id: "token-child",
  run: async () => {
    const token = await wait.createToken({ timeout: "1h" });
    return wait.forToken(token).unwrap();
  },
});

const parent = task({
  id: "parent-of-token-child",
  run: async () => tokenChild.triggerAndWait(),
});

const watcher = task({
  id: "watcher",
  run: async ({ key }: { key: string }) => {
    const result = await tokenChild.triggerAndWait(undefined, { idempotencyKey: await idempotencyKeys.create(key, { scope: "global" }) });
    return result.ok ? "completed" : `${result.error.name} ${result.error instanceof RunCanceledError}`;
  },
});

describe("runs.cancel", () => {
  let worker: DurabullWorker;
  beforeAll(async () => {
    worker = await createWorker({ tasks: [sleeper, busy, tokenChild, parent, watcher], concurrency: 10 });
  });
  afterAll(() => worker.close());

  it("cancels a queued run at once, keeping what it was", async () => {
    const { id } = await neverStarted.trigger(undefined, { tags: ["t"] });
    expect(await runs.cancel(id)).toEqual({ id, canceled: true, status: "CANCELED" });
    const canceled = await runs.retrieve(id);
    expect(canceled).toMatchObject({ status: "CANCELED", taskIdentifier: "never-started", tags: ["t"], error: { code: "RUN_CANCELED" } });
    expect(canceled.finishedAt).toBeInstanceOf(Date);
    expect(await runs.cancel(id)).toEqual({ id, canceled: false, status: "CANCELED" });
  });

  it("cancels a parked run at once; it never wakes", async () => {
    const { id } = await sleeper.trigger();
    await waitForStatus(id, "WAITING");
    expect((await runs.cancel(id)).status).toBe("CANCELED");
    expect((await runs.retrieve(id)).status).toBe("CANCELED");
    expect(await env.redis.get(`${env.prefix}:woke`)).toBeNull();
  });

  it("aborts an executing run's signal and ends it CANCELED, without a retry", async () => {
    const { id } = await busy.trigger();
    await expect.poll(() => env.redis.get(`${env.prefix}:busy:${id}`)).toBe("started");
    expect((await runs.cancel(id)).status).toBe("EXECUTING");
    const canceled = await waitForStatus(id, "CANCELED");
    expect(canceled.attemptCount).toBe(1);
    await expect.poll(() => env.redis.get(`${env.prefix}:busy:${id}`)).toBe("aborted by RunCanceledError");
  });

  it("cancels a parent's children that are still going", async () => {
    const { id } = await parent.trigger();
    const waiting = await waitForStatus(id, "WAITING");
    const childId = (waiting.waitingOn![0] as { id: string }).id;
    await waitForStatus(childId, "WAITING");
    await runs.cancel(id);
    expect((await waitForStatus(childId, "CANCELED")).status).toBe("CANCELED");
    expect((await runs.retrieve(id)).status).toBe("CANCELED");
  });

  it("resumes a parent waiting on a canceled child with ok: false", async () => {
    const child = await tokenChild.trigger(undefined, { idempotencyKey: "watched" });
    await waitForStatus(child.id, "WAITING");
    const { id } = await watcher.trigger({ key: "watched" });
    await waitForStatus(id, "WAITING");
    await runs.cancel(child.id);
    expect((await waitForStatus(id, "COMPLETED")).output).toBe("RunCanceledError true");
  });
});
