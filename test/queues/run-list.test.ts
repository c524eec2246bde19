import { describe, expect, it } from "vitest";
import { ConfigurationError, createWorker, runs, task, wait } from "../../src/index.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";

const env = useDurabull();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const echo = task({ id: "list-echo", run: async (payload: { n: number }) => payload.n });
const parks = task({ id: "list-parks", run: async () => void (await wait.for({ minutes: 5 })) });
const fails = task({ id: "list-fails", retry: { maxAttempts: 1 }, run: async () => { throw new Error("boom"); } });

describe("runs.list", () => {
  it("filters by task, status, tag and creation time, newest first", async () => {
    const worker = await createWorker({ tasks: [echo, parks, fails] });
    try {
      const first = await echo.trigger({ n: 1 }, { tags: ["batch-a"] });
      await sleep(10);
      const middle = new Date();
      await sleep(10);
      const second = await echo.trigger({ n: 2 }, { tags: ["batch-b"] });
      const parked = await parks.trigger(undefined, { tags: ["batch-a"] });
      const failed = await fails.trigger();
      const queued = await echo.trigger({ n: 3 }, { delay: "1h" });
      const canceled = await echo.trigger({ n: 4 }, { delay: "1h" });
      await runs.cancel(canceled.id);
      await waitForStatus(first.id, "COMPLETED");
      await waitForStatus(second.id, "COMPLETED");
      await waitForStatus(parked.id, "WAITING");
      await waitForStatus(failed.id, "FAILED");

      const ids = async (filters: Parameters<typeof runs.list>[0]) => (await runs.list(filters)).map((run) => run.id);
      expect(await ids({ taskIdentifier: "list-echo", status: "COMPLETED" })).toEqual([second.id, first.id]);
      expect(await ids({ tag: "batch-a" })).toEqual([parked.id, first.id]);
      expect(await ids({ status: ["WAITING", "FAILED"] })).toEqual([failed.id, parked.id]);
      expect(await ids({ status: "DELAYED" })).toEqual([queued.id]);
      expect(await ids({ status: "CANCELED" })).toEqual([canceled.id]);
      expect(await ids({ taskIdentifier: "list-echo", to: middle })).toEqual([first.id]);
      expect(await ids({ taskIdentifier: ["list-echo", "list-fails"], from: middle, limit: 2 })).toEqual([canceled.id, queued.id]);
      expect(await ids({ queue: "list-parks" })).toEqual([parked.id]);
      const [latest] = await runs.list({ limit: 1 });
      expect(latest).toMatchObject({ id: canceled.id, taskIdentifier: "list-echo", payload: { n: 4 }, status: "CANCELED" });
    } finally {
      await worker.close();
    }
  });

  it("rejects bad filters with a ConfigurationError", async () => {
    await expect(runs.list({ status: "DONE" as never })).rejects.toThrow(ConfigurationError);
    await expect(runs.list({ limit: 1_000 })).rejects.toThrow(/limit/);
    await expect(runs.list({ since: new Date() } as never)).rejects.toThrow(ConfigurationError);
  });
});

describe("runs.replay", () => {
  it("starts a new run with the same payload and tags, leaving the original as it was", async () => {
    const worker = await createWorker({ tasks: [echo] });
    try {
      const original = await echo.trigger({ n: 7 }, { tags: ["again"] });
      await waitForStatus(original.id, "COMPLETED");
      const replayed = await runs.replay(original.id);
      expect(replayed.id).not.toBe(original.id);
      const run = await waitForStatus(replayed.id, "COMPLETED");
      expect(run).toMatchObject({ taskIdentifier: "list-echo", payload: { n: 7 }, output: 7, tags: ["again"] });
      expect((await runs.retrieve(original.id)).status).toBe("COMPLETED");
      await expect(runs.replay("run_missing")).rejects.toMatchObject({ code: "RUN_NOT_FOUND" });
    } finally {
      await worker.close();
    }
  });
});
