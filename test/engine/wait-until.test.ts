import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorker, task, wait, type DurabullWorker } from "../../src/index.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { jobOf, jobStateOf, waitForStatus } from "../support/run-helpers.js";

useDurabull();

const until = task({
  id: "until",
  run: async (payload: { at: string }) => {
    await wait.until({ date: new Date(payload.at) });
    return Date.now();
  },
});

describe("wait.until", () => {
  let worker: DurabullWorker;
  beforeAll(async () => {
    worker = await createWorker({ tasks: [until] });
  });
  afterAll(() => worker.close());

  it("resolves at once for a date in the past, without parking", async () => {
    const { id } = await until.trigger({ at: new Date(Date.now() - 60_000).toISOString() });
    await waitForStatus(id, "COMPLETED");
    const job = await jobOf("until", id);
    expect(job?.attemptsStarted).toBe(1);
  });

  it("parks until a future date, then resumes after it", async () => {
    const at = new Date(Date.now() + 1_500);
    const { id } = await until.trigger({ at: at.toISOString() });
    const waiting = await waitForStatus(id, "WAITING");
    expect(await jobStateOf("until", id)).toBe("delayed");
    expect(waiting.waitingOn).toEqual([{ kind: "duration", until: at }]);
    const done = await waitForStatus(id, "COMPLETED");
    expect(done.output as number).toBeGreaterThanOrEqual(at.getTime());
    expect((await jobOf("until", id))?.attemptsStarted).toBe(2);
  });
});
