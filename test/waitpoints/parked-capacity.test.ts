import { describe, expect, it } from "vitest";
import { createWorker, step, task, wait } from "../../src/index.js";
import { runtime } from "../../src/engine/runtime.js";
import { useDurabull } from "../support/durabull-test-env.js";

const env = useDurabull({ secretKey: "capacity-secret-0123456789abcdef" });
const RUNS = 1_000;

const approval = task({
  id: "await-approval",
  run: async (payload: { n: number }) => {
    const token = await wait.createToken({ timeout: "1h" });
    await step.run("hand-out", () => env.redis.rpush(`${env.prefix}:handed-out`, token.id));
    const { decision } = await wait.forToken<{ decision: string }>(token).unwrap();
    return `${payload.n}:${decision}`;
  },
});

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("parked runs hold no worker slot", () => {
  it("parks 1,000 runs on tokens under one worker of concurrency 5, and completing every token completes every run", async () => {
    const worker = await createWorker({ tasks: [approval], concurrency: 5 });
    const queue = runtime().queue("await-approval");
    try {
      const triggered = await approval.batchTrigger(Array.from({ length: RUNS }, (_, n) => ({ payload: { n } })));
      await until(async () => (await queue.getJobCounts("delayed")).delayed === RUNS, "every run to park");

      const tokens = await env.redis.lrange(`${env.prefix}:handed-out`, 0, -1);
      expect(new Set(tokens).size).toBe(RUNS);
      for (let i = 0; i < tokens.length; i += 100) {
        await Promise.all(tokens.slice(i, i + 100).map((tokenId) => wait.completeToken(tokenId, { decision: "ok" })));
      }
      await until(async () => (await queue.getJobCounts("completed")).completed === RUNS, "every run to complete");
      const outputs = await Promise.all(triggered.runs.slice(0, 3).map(async ({ id }) => (await queue.getJob(id))?.returnvalue));
      expect(outputs).toEqual(["0:ok", "1:ok", "2:ok"]);
    } finally {
      await worker.close();
    }
  });
});
