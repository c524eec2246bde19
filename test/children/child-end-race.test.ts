import { describe, expect, it } from "vitest";
import { createWorker, idempotencyKeys, task, wait } from "../../src/index.js";
import { finishRun } from "../../src/engine/child-runs.js";
import { runtime } from "../../src/engine/runtime.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";

useDurabull({ secretKey: "child-end-race-secret-0123456789" });

const child = task({
  id: "race-child",
  run: async () => (await wait.forToken<string>(await wait.createToken({ timeout: "1h" }))).unwrap(),
});

const parent = task({
  id: "race-parent",
  run: async ({ key }: { key: string }) => (await child.triggerAndWait(undefined, { idempotencyKey: key })).unwrap(),
});

describe("a child's end racing its parent's park", () => {
  it("gives a parent that registers after the child's executor marked its end, before its job completed, the child's result", async () => {
    const worker = await createWorker({ tasks: [child, parent] });
    try {
      const key = await idempotencyKeys.create("race-child-1", { scope: "global" });
      const { id: childId } = await child.trigger(undefined, { idempotencyKey: key });
      await waitForStatus(childId, "WAITING");
      // The child's executor marks its end first; BullMQ completes its job only after the
      // processor returns. A parent registering in between must not wait for the job.
      await finishRun(runtime(), childId, { ok: true, output: "ended" });
      const { id } = await parent.trigger({ key });
      expect((await waitForStatus(id, "COMPLETED")).output).toBe("ended");
    } finally {
      await worker.close();
    }
  });
});
