import { describe, expect, it } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { AbortTaskRunError, createWorker, idempotencyKeys, runs, task, type RunDetails } from "../../src/index.js";
import { finishRun } from "../../src/engine/child-runs.js";
import { idempotencyKeyHash } from "../../src/engine/idempotency-key.js";
import { runtime } from "../../src/engine/runtime.js";
import { CLAIM_GRACE_MS } from "../../src/engine/trigger-idempotency.js";
import { runScript, scripts } from "../../src/redis/scripts.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";

const env = useDurabull();

const report = task({
  id: "daily-report",
  run: async ({ day }: { day: string }) => {
    await env.redis.incr(`${env.prefix}:reports:${day}`);
    return `report ${day}`;
  },
});

const flaky = task({
  id: "flaky-report",
  retry: { maxAttempts: 1 },
  run: async ({ fail }: { fail: boolean }) => {
    if (fail) throw new AbortTaskRunError("broken");
    return "fine";
  },
});

const slowChild = task({ id: "slow-child", queue: "slow-children", run: async () => "made before the parent asked" });

const cachedWaiter = task({
  id: "cached-waiter",
  run: async ({ key }: { key: string }) => slowChild.triggerAndWait(undefined, { idempotencyKey: key }).unwrap(),
});

describe("trigger idempotency keys", () => {
  it("returns the same run for a global key triggered twice, and a new one once the TTL has passed", async () => {
    const key = await idempotencyKeys.create(["org-1", "report", "2026-11-21"], { scope: "global" });
    const first = await report.trigger({ day: "2026-11-21" }, { idempotencyKey: key, idempotencyKeyTTL: "2s" });
    const second = await report.trigger({ day: "2026-11-21" }, { idempotencyKey: key, idempotencyKeyTTL: "2s" });
    expect(first.isCached).toBe(false);
    expect(second).toEqual({ id: first.id, isCached: true });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const third = await report.trigger({ day: "2026-11-21" }, { idempotencyKey: key, idempotencyKeyTTL: "2s" });
    expect(third.isCached).toBe(false);
    expect(third.id).not.toBe(first.id);
  });

  it("makes one run for concurrent triggers with one key, per task", async () => {
    const handles = await Promise.all(Array.from({ length: 20 }, () => report.trigger({ day: "same" }, { idempotencyKey: "concurrent" })));
    expect(new Set(handles.map((handle) => handle.id)).size).toBe(1);
    expect(handles.filter((handle) => !handle.isCached)).toHaveLength(1);
    const otherTask = await flaky.trigger({ fail: false }, { idempotencyKey: "concurrent" });
    expect(otherTask.isCached).toBe(false);
    const batch = await report.batchTrigger([{ payload: { day: "b" }, options: { idempotencyKey: "in-batch" } }, { payload: { day: "b" }, options: { idempotencyKey: "in-batch" } }]);
    expect(batch.runs[1]).toEqual({ id: batch.runs[0]!.id, isCached: true });
  });

  it("writes the runs whose keys it claimed before waiting on a key that another trigger holds", async () => {
    const phantom = "run_01m80000000000000phantom01";
    const keyOf = (key: string) => runtime().keys.triggerIdempotency(report.id, idempotencyKeyHash(key, undefined));
    // Another trigger claimed "held-elsewhere" and died before writing its run: this one waits out the claim's grace.
    await runScript(runtime().client, scripts.claimIdempotencyKey, [keyOf("held-elsewhere")], [phantom, Date.now() - CLAIM_GRACE_MS + 1_000, 60_000]);
    const item = (idempotencyKey: string) => ({ payload: { day: idempotencyKey }, options: { idempotencyKey } });
    let settled = false;
    const triggering = report.batchTrigger([item("free"), item("held-elsewhere")]).finally(() => (settled = true));

    let freeRun: RunDetails | undefined;
    while (!freeRun && !settled) {
      const claimed = await env.redis.get(keyOf("free"));
      freeRun = claimed ? await runs.retrieve(claimed.split(" ")[0]!).catch(() => undefined) : undefined;
      await sleep(20);
    }
    expect(settled).toBe(false);
    const { runs: made } = await triggering;
    expect(made.map((run) => run.id)).toEqual([freeRun!.id, expect.not.stringMatching(phantom)]);
    expect(made.every((run) => !run.isCached)).toBe(true);
  });

  it("releases the key of a FAILED run, keeps that of a COMPLETED one, and releases by hand with reset", async () => {
    const worker = await createWorker({ tasks: [flaky, report] });
    try {
      const failed = await flaky.trigger({ fail: true }, { idempotencyKey: "k-failed" });
      await waitForStatus(failed.id, "FAILED");
      const retried = await flaky.trigger({ fail: false }, { idempotencyKey: "k-failed" });
      expect(retried.isCached).toBe(false);
      await waitForStatus(retried.id, "COMPLETED");
      expect(await flaky.trigger({ fail: true }, { idempotencyKey: "k-failed" })).toEqual({ id: retried.id, isCached: true });

      await idempotencyKeys.reset("flaky-report", "k-failed");
      const afterReset = await flaky.trigger({ fail: false }, { idempotencyKey: "k-failed" });
      expect(afterReset.isCached).toBe(false);
      expect(afterReset.id).not.toBe(retried.id);
    } finally {
      await worker.close();
    }
  });

  it("lets a cached triggerAndWait wait on the existing run, even one triggered without waiters", async () => {
    const key = await idempotencyKeys.create("shared-child", { scope: "global" });
    const child = await slowChild.trigger(undefined, { idempotencyKey: key });
    const parents = await createWorker({ tasks: [cachedWaiter] });
    try {
      const { id } = await cachedWaiter.trigger({ key });
      const waiting = await waitForStatus(id, "WAITING");
      expect(waiting.waitingOn).toMatchObject([{ kind: "run", id: child.id }]);
      const children = await createWorker({ tasks: [slowChild] });
      try {
        expect((await waitForStatus(id, "COMPLETED", 20_000)).output).toBe("made before the parent asked");
        expect((await runs.retrieve(child.id)).status).toBe("COMPLETED");
      } finally {
        await children.close();
      }
    } finally {
      await parents.close();
    }
  });

  it("parks a run whose own registration found its wait over due now, so it resumes even if its worker dies before looking again", async () => {
    const key = await idempotencyKeys.create("ending-child", { scope: "global" });
    const child = await slowChild.trigger(undefined, { idempotencyKey: key });
    // The child marked ended, as its executor does before BullMQ completes its job: a waiter
    // sees it still running, parks, and finds it ended only when it registers.
    await finishRun(runtime(), child.id, { ok: true, output: "made before the parent asked" });
    const parents = await createWorker({ tasks: [cachedWaiter] });
    try {
      const { id } = await cachedWaiter.trigger({ key });
      expect((await waitForStatus(id, "COMPLETED")).output).toBe("made before the parent asked");
      // No wake-up was coming for it, so its move to the delayed set was due at once, not at
      // the wait's deadline a year ahead.
      const events = await env.redis.xrange(runtime().queue("cached-waiter").keys.events!, "-", "+");
      const delays = events.map(([, fields]) => fields).filter((fields) => fields[1] === "delayed" && fields[3] === id).map((fields) => Number(fields[5]));
      expect(delays).toHaveLength(1);
      expect(delays[0]).toBeLessThanOrEqual(Date.now());
    } finally {
      await parents.close();
    }
  });

  it("rejects bad keys and TTLs", async () => {
    await expect(report.trigger({ day: "x" }, { idempotencyKey: "" })).rejects.toThrow(/idempotencyKey/);
    await expect(report.trigger({ day: "x" }, { idempotencyKey: "k", idempotencyKeyTTL: "forever" })).rejects.toThrow(/idempotencyKeyTTL must be a duration/);
  });
});
