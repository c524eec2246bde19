import { describe, expect, it } from "vitest";
import { createWorker, runs, step, task, wait } from "../../src/index.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { jobStateOf, waitForStatus } from "../support/run-helpers.js";

const env = useDurabull();

const sleeper = task({
  id: "sleeper",
  run: async (payload: { n: number }, { ctx }) => {
    await step.run("before", () => env.redis.incr(`${env.prefix}:count:${ctx.run.id}`));
    await wait.for({ seconds: 1 });
    return payload.n * 2;
  },
});

describe("parked runs", () => {
  it("survive the worker being stopped, past their wake-up time, and resume on a new worker", async () => {
    const first = await createWorker({ tasks: [sleeper], concurrency: 5 });
    const handles = await sleeper.batchTrigger([1, 2, 3, 4, 5].map((n) => ({ payload: { n } })));
    for (const { id } of handles.runs) await waitForStatus(id, "WAITING");
    await first.close();

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const { id } of handles.runs) {
      expect(await jobStateOf("sleeper", id)).toBe("delayed");
      expect((await runs.retrieve(id)).status).toBe("WAITING");
    }

    const second = await createWorker({ tasks: [sleeper], concurrency: 5 });
    try {
      const outputs = await Promise.all(handles.runs.map(async ({ id }) => (await waitForStatus(id, "COMPLETED")).output));
      expect(outputs).toEqual([2, 4, 6, 8, 10]);
      for (const { id } of handles.runs) expect(await env.redis.get(`${env.prefix}:count:${id}`)).toBe("1");
    } finally {
      await second.close();
    }
  });
});
