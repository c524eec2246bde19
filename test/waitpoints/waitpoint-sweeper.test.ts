import { Redis, type Command } from "ioredis";
import { describe, expect, it } from "vitest";
import { createWorker, step, task, wait, WaitpointNotFoundError } from "../../src/index.js";
import { finishRun } from "../../src/engine/child-runs.js";
import { runtime, type Runtime } from "../../src/engine/runtime.js";
import { tokenBucket, tokenField } from "../../src/engine/token-buckets.js";
import { WaitpointStore } from "../../src/engine/waitpoint-store.js";
import { WaitpointSweeper } from "../../src/engine/waitpoint-sweeper.js";
import { wakeTokenWaiters } from "../../src/engine/tokens.js";
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

const parent = task({
  id: "parent-of-parked",
  run: async () => (await parked.triggerAndWait()).unwrap(),
});

/** Moves a parked run's job between BullMQ's delayed set and active list, as a worker mid-park would have it. */
async function moveJob(queue: string, runId: string, to: "active" | "delayed", score?: string): Promise<string> {
  const bull = (name: string) => `${runtime().keys.bullPrefix(queue)}:${queue}:${name}`;
  if (to === "active") {
    const delayedScore = (await env.redis.zscore(bull("delayed"), runId))!;
    await env.redis.multi().zrem(bull("delayed"), runId).lpush(bull("active"), runId).exec();
    return delayedScore;
  }
  await env.redis.multi().lrem(bull("active"), 0, runId).zadd(bull("delayed"), score!, runId).exec();
  return score!;
}

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

  it("promotes a run whose wait was settled while it was still parking, if its worker died before it looked again", async () => {
    const worker = await createWorker({ tasks: [parked] });
    try {
      const { id } = await parked.trigger();
      await waitForStatus(id, "WAITING");
      const tokenId = (await env.redis.get(`${env.prefix}:token:${id}`))!;
      // The run is still parking: its job is active when the token is completed, so the
      // completer cannot promote it and leaves the wake-up pending...
      const score = await moveJob("parked-on-token", id, "active");
      const state = (await new WaitpointStore(runtime()).settle(tokenId, "complete", { output: "settled mid-park" }))!;
      await wakeTokenWaiters(runtime(), tokenId, state);
      expect(await env.redis.zscore(`${env.prefix}:{waitpoints}:wakes`, tokenId)).not.toBeNull();
      // ...then its worker moves the job to the delayed set and dies before reading its pending count.
      await moveJob("parked-on-token", id, "delayed", score);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await waitForStatus(id, "WAITING")).status).toBe("WAITING");

      await sweepAhead(6_000);
      expect((await waitForStatus(id, "COMPLETED")).output).toBe("settled mid-park");
      await sweepAhead(6_000);
      expect(await env.redis.zscore(`${env.prefix}:{waitpoints}:wakes`, tokenId)).toBeNull();
    } finally {
      await worker.close();
    }
  });

  it("does the same for a parent whose child ended while the parent was still parking", async () => {
    const worker = await createWorker({ tasks: [parked, parent] });
    try {
      const { id } = await parent.trigger();
      const waiting = await waitForStatus(id, "WAITING");
      const childId = (waiting.waitingOn![0] as { id: string }).id;
      await waitForStatus(childId, "WAITING");
      const score = await moveJob("parent-of-parked", id, "active");
      await wait.completeToken((await env.redis.get(`${env.prefix}:token:${childId}`))!, "child done");
      await waitForStatus(childId, "COMPLETED");
      await expect.poll(() => env.redis.zscore(`${env.prefix}:{waitpoints}:wakes`, childId)).not.toBeNull();
      await moveJob("parent-of-parked", id, "delayed", score);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await waitForStatus(id, "WAITING")).status).toBe("WAITING");

      await sweepAhead(6_000);
      expect((await waitForStatus(id, "COMPLETED")).output).toBe("child done");
    } finally {
      await worker.close();
    }
  });

  it("wakes a parent whose child's executor died right after marking the child ended", async () => {
    const worker = await createWorker({ tasks: [parked, parent] });
    const { id } = await parent.trigger();
    const childId = ((await waitForStatus(id, "WAITING")).waitingOn![0] as { id: string }).id;
    await waitForStatus(childId, "WAITING");
    await worker.close();
    // The child's executor marks the child ended, then its process dies: this connection sends
    // nothing more once the script that marks it has answered, so no waiter is woken.
    const dying = new Redis(env.url);
    let dead = false;
    const send = dying.sendCommand.bind(dying);
    dying.sendCommand = ((command: Command) => {
      if (dead) {
        command.reject(new Error("the process has died"));
        return command.promise;
      }
      const sent = send(command);
      if (command.name === "evalsha" || command.name === "eval") void command.promise.then(() => (dead = true), () => undefined);
      return sent;
    }) as typeof dying.sendCommand;
    const dyingRuntime = Object.create(runtime(), { client: { value: dying } }) as Runtime;
    await expect(finishRun(dyingRuntime, childId, { ok: true, output: "child done" })).rejects.toThrow();
    expect(await env.redis.hget(runtime().keys.run(childId), "done")).toBe(JSON.stringify({ ok: true, output: "child done" }));

    // Its job, never completed, runs again elsewhere and ends; the end it marked long ago is
    // not marked again, so only the sweeper's repeat of the wake-up can reach the parent.
    const resumed = await createWorker({ tasks: [parked, parent] });
    try {
      await wait.completeToken((await env.redis.get(`${env.prefix}:token:${childId}`))!, "child done");
      await waitForStatus(childId, "COMPLETED");
      await sweepAhead(6_000);
      expect((await waitForStatus(id, "COMPLETED")).output).toBe("child done");
    } finally {
      await resumed.close();
    }
  });

  it("times out due tokens nobody reads, then removes settled tokens after retention, never waiting ones", async () => {
    const due = await wait.createToken({ timeout: "1s", tags: ["sweep"], idempotencyKey: "sweep-due" });
    const waiting = await wait.createToken({ timeout: "1h", tags: ["sweep"] });
    await sweepAhead(1_500);
    expect(await env.redis.hget(`${env.prefix}:{waitpoints}:tokens:${tokenBucket(due.id)}`, tokenField(due.id))).toMatch(/^T\d+ \d+$/);

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
