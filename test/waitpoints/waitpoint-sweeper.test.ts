import { describe, expect, it } from "vitest";
import { createWorker, step, task, wait, WaitpointNotFoundError } from "../../src/index.js";
import { runtime } from "../../src/engine/runtime.js";
import { WaitpointStore } from "../../src/engine/waitpoint-store.js";
import { WaitpointSweeper } from "../../src/engine/waitpoint-sweeper.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";

const env = useDurabull({ secretKey: "sweeper-secret-0123456789abcdef", retention: "2s" });

const parked = task({
  id: "parked-on-token",
  run: async (_: void, { ctx }) => {
    const token = await wait.createToken({ timeout: "1h" });
    await step.run("hand-out", () => env.redis.set(`${env.prefix}:token:${ctx.run.id}`, token.id));
    return (await wait.forToken<string>(token)).unwrap();
  },
});

/** A sweep now, as if `aheadMs` had passed, whatever lock a worker's own sweeper holds. */
async function sweepAhead(aheadMs: number): Promise<number> {
  await env.redis.del(`${env.prefix}:{waitpoints}:sweep-lock`);
  return new WaitpointSweeper(runtime()).sweep(Date.now() + aheadMs);
}

describe("waitpoint sweeper", () => {
  it("wakes the waiters of a token whose completer died before waking them", async () => {
    const worker = await createWorker({ tasks: [parked] });
    try {
      const { id } = await parked.trigger();
      await waitForStatus(id, "WAITING");
      const tokenId = (await env.redis.get(`${env.prefix}:token:${id}`))!;
      const state = await new WaitpointStore(runtime()).settle(tokenId, "complete", { output: "completed, then the completer died" });
      expect(state?.moved).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await waitForStatus(id, "WAITING")).status).toBe("WAITING");

      expect(await sweepAhead(6_000)).toBeGreaterThanOrEqual(1);
      expect((await waitForStatus(id, "COMPLETED")).output).toBe("completed, then the completer died");
    } finally {
      await worker.close();
    }
  });

  it("times out due tokens nobody reads, then removes settled tokens after retention, never waiting ones", async () => {
    const due = await wait.createToken({ timeout: "1s", tags: ["sweep"], idempotencyKey: "sweep-due" });
    const waiting = await wait.createToken({ timeout: "1h", tags: ["sweep"] });
    await sweepAhead(1_500);
    expect(await env.redis.hget(`${env.prefix}:{waitpoints}:token:${due.id}`, "s")).toBe("TIMED_OUT");

    await sweepAhead(1_500 + 2_500);
    await expect(wait.retrieveToken(due)).rejects.toBeInstanceOf(WaitpointNotFoundError);
    expect((await wait.listTokens({ tags: "sweep" })).map((token) => token.id)).toEqual([waiting.id]);
    expect((await wait.createToken({ idempotencyKey: "sweep-due" })).isCached).toBe(false);
    expect((await wait.retrieveToken(waiting)).status).toBe("WAITING");
  });

  it("lets a parked run resume with its token's output even after the token itself was removed", async () => {
    const first = await createWorker({ tasks: [parked] });
    const { id } = await parked.trigger();
    await waitForStatus(id, "WAITING");
    await first.close();
    const tokenId = (await env.redis.get(`${env.prefix}:token:${id}`))!;
    await wait.completeToken(tokenId, "kept in the run");
    await sweepAhead(2_500);
    await expect(wait.retrieveToken(tokenId)).rejects.toBeInstanceOf(WaitpointNotFoundError);

    const second = await createWorker({ tasks: [parked] });
    try {
      expect((await waitForStatus(id, "COMPLETED")).output).toBe("kept in the run");
    } finally {
      await second.close();
    }
  });
});
