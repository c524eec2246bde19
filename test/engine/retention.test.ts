import { describe, expect, it } from "vitest";
import { AbortTaskRunError, createWorker, RunNotFoundError, runs, step, streams, task, wait } from "../../src/index.js";
import { RetentionSweeper } from "../../src/engine/retention-sweeper.js";
import { runtime } from "../../src/engine/runtime.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";

const env = useDurabull({ retention: "4s" });

const trivial = task({ id: "retained", run: async () => "ok" });
const tagged = task({ id: "retained-tagged", queue: "retained", run: async () => "tagged" });
const withSteps = task({ id: "retained-steps", queue: "retained", run: async () => step.run("s", () => 1) });
const notes = streams.input<string>({ id: "notes" });
/** Parks for a moment; a value sent to its "notes" stream meanwhile is never read. */
const pausing = task({ id: "retained-pausing", queue: "retained", run: async () => wait.for({ seconds: 1 }) });
const doomed = task({
  id: "retained-doomed",
  queue: "retained",
  run: async () => {
    throw new AbortTaskRunError("no");
  },
});

describe("retention", () => {
  it("sweeps every finished run, in pages, into expiry `retention` after it finished, and then they are gone", async () => {
    const worker = await createWorker({ tasks: [trivial, tagged, withSteps, doomed, pausing], concurrency: 50 });
    const batches = await Promise.all([trivial.batchTrigger(Array.from({ length: 1_000 }, () => ({ payload: undefined }))), trivial.batchTrigger(Array.from({ length: 600 }, () => ({ payload: undefined })))]);
    const trivialIds = batches.flatMap((batch) => batch.runs.map((run) => run.id));
    const stepped = await withSteps.trigger();
    const failed = await doomed.trigger();
    const taggedRun = await tagged.trigger(undefined, { tags: ["kept"] });
    const paused = await pausing.trigger();
    await waitForStatus(paused.id, "WAITING");
    await notes.send(paused.id, "unread");
    // A job added to the queue by hand, not triggered: its keys sit in a slot of their own.
    const byHand = "added-by-hand";
    await runtime().queue("retained").add(withSteps.id, {}, { jobId: byHand, priority: 1 });
    await waitForStatus(stepped.id, "COMPLETED");
    expect((await waitForStatus(failed.id, "FAILED")).error?.message).toBe("no");
    for (const id of [...trivialIds, taggedRun.id, paused.id]) await waitForStatus(id, "COMPLETED");
    while ((await runtime().queue("retained").getJobState(byHand)) !== "completed") await new Promise((resolve) => setTimeout(resolve, 25));
    await worker.close();

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await env.redis.del(runtime().keys.retentionLock("retained"));
    const swept = await new RetentionSweeper(runtime(), "retained").sweep();
    expect(swept).toBeLessThanOrEqual(trivialIds.length + 5);

    // A run that completed at its first execution without tags, metadata or durable calls never had a record.
    expect(await env.redis.exists(...trivialIds.map((id) => runtime().keys.run(id)))).toBe(0);
    expect((await runs.retrieve(trivialIds[0]!)).output).toBe("ok");
    // Each kept run's hash expires `retention` after it finished, and an unread input buffer with it.
    const keys = [stepped.id, failed.id, taggedRun.id, byHand, paused.id].map((id) => runtime().keys.run(id));
    const ttls = await Promise.all([...keys, runtime().keys.stream(paused.id, "notes")].map((key) => env.redis.pttl(key)));
    for (const ttl of ttls) {
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(4_000);
    }
    expect((await runs.retrieve(failed.id)).status).toBe("FAILED");

    await env.redis.del(runtime().keys.retentionLock("retained"));
    expect(await new RetentionSweeper(runtime(), "retained").sweep()).toBe(0);

    await new Promise((resolve) => setTimeout(resolve, 4_000));
    await env.redis.del(runtime().keys.retentionLock("retained"));
    await new RetentionSweeper(runtime(), "retained").sweep();
    expect(await runtime().queue("retained").getJobCounts("completed", "failed")).toEqual({ completed: 0, failed: 0 });
    await expect(runs.retrieve(stepped.id)).rejects.toBeInstanceOf(RunNotFoundError);
    await expect(runs.retrieve(trivialIds[0]!)).rejects.toBeInstanceOf(RunNotFoundError);
    expect(await env.redis.exists(runtime().keys.stream(paused.id, "notes"))).toBe(0);
  });
});
