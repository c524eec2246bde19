import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorker, idempotencyKeys, task, wait, type DurabullWorker } from "../../src/index.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { jobOf, waitForStatus } from "../support/run-helpers.js";

useDurabull();

const keyed = task({
  id: "keyed-wait",
  run: async (payload: { seconds: number; key: string }) => {
    const key = await idempotencyKeys.create(payload.key, { scope: "global" });
    await wait.for({ seconds: payload.seconds, idempotencyKey: key, idempotencyKeyTTL: "1m" });
    return Date.now();
  },
});

describe("keyed waits", () => {
  let worker: DurabullWorker;
  beforeAll(async () => {
    worker = await createWorker({ tasks: [keyed], concurrency: 4 });
  });
  afterAll(() => worker.close());

  it("shares one end time between waits with the same global key, and skips a wait already waited out", async () => {
    const first = await keyed.trigger({ seconds: 2, key: "daily-digest" });
    const firstWaiting = await waitForStatus(first.id, "WAITING");
    const second = await keyed.trigger({ seconds: 600, key: "daily-digest" });
    expect((await waitForStatus(second.id, "WAITING")).waitingOn).toEqual(firstWaiting.waitingOn);
    await Promise.all([waitForStatus(first.id, "COMPLETED"), waitForStatus(second.id, "COMPLETED", 20_000)]);

    const third = await keyed.trigger({ seconds: 600, key: "daily-digest" });
    await waitForStatus(third.id, "COMPLETED");
    expect((await jobOf("keyed-wait", third.id))?.attemptsStarted).toBe(1);
  });
});
