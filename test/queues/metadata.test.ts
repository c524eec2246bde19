import { describe, expect, it } from "vitest";
import { ConfigurationError, createWorker, metadata, NestedDurableCallError, OutsideRunError, runs, step, task, wait } from "../../src/index.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { jobOf, waitForStatus } from "../support/run-helpers.js";

const env = useDurabull();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const release = (runId: string) => `${env.prefix}:release:${runId}`;

const pages = task({
  id: "metadata-pages",
  run: async ({ total }: { total: number }, { ctx }) => {
    metadata.set("total", total);
    for (let page = 1; page <= total; page++) {
      await step.run(`page-${page}`, () => page);
      metadata.set("page", page);
      metadata.increment("done");
      metadata.append("log", `page ${page}`);
      if (page === 2) while ((await env.redis.get(release(ctx.run.id))) === null) await sleep(20);
      if (page === 3) await wait.for({ seconds: 0.2 });
    }
    return metadata.current();
  },
});

const seeded = task({
  id: "metadata-seeded",
  run: async () => {
    metadata.increment("count", 5);
    metadata.del("drop");
    return metadata.get("owner");
  },
});

const misuse = task({
  id: "metadata-misuse",
  run: async () => {
    const insideStep = await step.run("inside", async () => {
      try {
        metadata.set("x", 1);
        return "allowed";
      } catch (error) {
        return (error as Error).name;
      }
    });
    let tooLarge = "allowed";
    try {
      metadata.set("big", "x".repeat(70 * 1024));
    } catch (error) {
      tooLarge = (error as ConfigurationError).code;
    }
    metadata.set("kept", true);
    return { insideStep, tooLarge, current: metadata.current() };
  },
});

describe("run metadata", () => {
  it("is visible from runs.retrieve and as job progress while executing, and counts right across replays", async () => {
    const worker = await createWorker({ tasks: [pages] });
    try {
      const handle = await pages.trigger({ total: 4 });
      const deadline = Date.now() + 10_000;
      let live = await runs.retrieve(handle.id);
      while (live.metadata.page !== 2 && Date.now() < deadline) {
        await sleep(20);
        live = await runs.retrieve(handle.id);
      }
      expect(live.status).toBe("EXECUTING");
      expect(live.metadata).toEqual({ total: 4, page: 2, done: 2, log: ["page 1", "page 2"] });
      expect((await jobOf("metadata-pages", handle.id))?.progress).toEqual(live.metadata);

      await env.redis.set(release(handle.id), "1");
      const finished = await waitForStatus(handle.id, "COMPLETED");
      const expected = { total: 4, page: 4, done: 4, log: ["page 1", "page 2", "page 3", "page 4"] };
      expect(finished.output).toEqual(expected);
      expect(finished.metadata).toEqual(expected);
      expect(finished.attemptCount).toBe(1);
    } finally {
      await worker.close();
    }
  });

  it("starts from the metadata given at trigger time", async () => {
    const worker = await createWorker({ tasks: [seeded] });
    try {
      const handle = await seeded.trigger(undefined, { metadata: { owner: "ops", count: 1, drop: "me" } });
      const run = await waitForStatus(handle.id, "COMPLETED");
      expect(run.output).toBe("ops");
      expect(run.metadata).toEqual({ owner: "ops", count: 6 });
    } finally {
      await worker.close();
    }
  });

  it("rejects use outside a run, inside a step body, and beyond the size limit, changing nothing", async () => {
    expect(() => metadata.set("x", 1)).toThrow(OutsideRunError);
    await expect(seeded.trigger(undefined, { metadata: [] as unknown as Record<string, unknown> })).rejects.toThrow(/metadata/);
    const worker = await createWorker({ tasks: [misuse] });
    try {
      const run = await waitForStatus((await misuse.trigger()).id, "COMPLETED");
      expect(run.output).toEqual({ insideStep: NestedDurableCallError.name, tooLarge: "CONFIGURATION_INVALID", current: { kept: true } });
      expect(run.metadata).toEqual({ kept: true });
    } finally {
      await worker.close();
    }
  });
});
