import { describe, expect, it, vi } from "vitest";
import { createWorker, task, wait, WaitpointNotFoundError } from "../../src/index.js";
import { runtime } from "../../src/engine/runtime.js";
import { timeOfId } from "../../src/engine/ids.js";
import { bucketName, tokenBucket, tokenField, tokenSlot } from "../../src/engine/token-buckets.js";
import { WaitpointStore } from "../../src/engine/waitpoint-store.js";
import { WaitpointSweeper } from "../../src/engine/waitpoint-sweeper.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";

const env = useDurabull({ secretKey: "buckets-secret-0123456789abcdef", retention: "2s" });

const approval = task({
  id: "await-shared-approval",
  run: async (tokenId: string) => (await wait.forToken<string>(tokenId)).unwrap(),
});

/** Creates `count` tokens, one after another, and answers their ids. */
async function createTokens(count: number, timeout = "1h"): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) ids.push((await wait.createToken({ timeout, tags: ["buckets"] })).id);
  return ids;
}

/** A sweep now, as if `aheadMs` had passed, whatever lock a worker's own sweeper holds. */
async function sweepAhead(aheadMs: number): Promise<number> {
  await env.redis.del(`${env.prefix}:{waitpoints}:sweep-lock`);
  return new WaitpointSweeper(runtime()).sweep(Date.now() + aheadMs);
}

/** Every key of the waitpoints slot, less the fixed ones (counter, floor, cursor, lock). */
async function tokenKeys(): Promise<string[]> {
  const keys = await env.redis.keys(`${env.prefix}:{waitpoints}:*`);
  return keys.filter((key) => !/:(count|floor|scan-cursor|sweep-lock)$/.test(key)).sort();
}

describe("tokens kept 32 to a bucket", () => {
  it("numbers tokens into buckets of 32 in creation order, and lists every one newest first, page by page", async () => {
    const ids = await createTokens(70);
    expect([...ids].sort()).toEqual(ids);
    const buckets = ids.map(tokenBucket);
    expect(new Set(buckets).size).toBe(3);
    expect(buckets.slice(0, 32).every((bucket) => bucket === buckets[0])).toBe(true);
    expect(new Set(ids.map((id) => tokenBucket(id) + tokenSlot(id))).size).toBe(70);
    expect(await env.redis.hlen(`${env.prefix}:{waitpoints}:tokens:${buckets[0]}`)).toBe(32);

    const newestFirst = [...ids].reverse();
    expect((await wait.listTokens({ limit: 100 })).map((token) => token.id)).toEqual(newestFirst);
    expect((await wait.listTokens({ limit: 40 })).map((token) => token.id)).toEqual(newestFirst.slice(0, 40));
    for (const id of [ids[3]!, ids[40]!, ids[69]!]) await wait.completeToken(id, { id });
    expect((await wait.listTokens({ status: "COMPLETED", limit: 100 })).map((token) => token.id)).toEqual([ids[69], ids[40], ids[3]]);
    expect((await wait.listTokens({ status: "WAITING", limit: 100 })).map((token) => token.id)).toHaveLength(67);
    expect((await wait.retrieveToken(ids[40]!)).output).toEqual({ id: ids[40] });
  });

  it("keeps one waiter per token in the bucket and the rest with the token; settling a token reports its own waiters only", async () => {
    const [first, second] = await createTokens(2);
    expect(tokenBucket(first!)).toBe(tokenBucket(second!));
    const store = new WaitpointStore(runtime());
    await store.settle(first!, "wait", { waiter: { runId: "run_01m8000000000000000000000a", queue: "q1", alone: true } });
    await store.settle(first!, "wait", { waiter: { runId: "run_01m8000000000000000000000b", queue: "q2", alone: false } });
    await store.settle(second!, "wait", { waiter: { runId: "run_01m8000000000000000000000c", queue: "q3", alone: true } });

    await store.settle(first!, "wait", { waiter: { runId: "run_01m8000000000000000000000b", queue: "q2", alone: false } });
    await store.settle(first!, "wait", { waiter: { runId: "run_01m8000000000000000000000a", queue: "q1", alone: true } });
    expect(await env.redis.hlen(`${env.prefix}:{waitpoints}:waiters:${tokenBucket(first!)}`)).toBe(2);
    expect((await wait.retrieveToken(first!)).runs.sort()).toEqual(["run_01m8000000000000000000000a", "run_01m8000000000000000000000b"]);
    const settled = await store.settle(first!, "timeout");
    expect(settled?.waiters.sort((a, b) => a.runId.localeCompare(b.runId))).toEqual([
      { runId: "run_01m8000000000000000000000a", queue: "q1", alone: true },
      { runId: "run_01m8000000000000000000000b", queue: "q2", alone: false },
    ]);
    expect((await wait.retrieveToken(second!)).runs).toEqual(["run_01m8000000000000000000000c"]);
    expect((await store.settle(second!, "check"))?.waiters).toEqual([]);
  });

  it("stores a token as E until a run waits on it (then W), and settles an E token without reading waiters; a W token without any settles as before", async () => {
    const [never, waitedOn, legacy] = await createTokens(3);
    const bucket = `${env.prefix}:{waitpoints}:tokens:${tokenBucket(never!)}`;
    const stateOf = (id: string) => env.redis.hget(bucket, tokenField(id));
    expect(await stateOf(never!)).toMatch(/^E\d+$/);
    expect((await wait.retrieveToken(never!)).status).toBe("WAITING");

    const store = new WaitpointStore(runtime());
    const waiter = { runId: "run_01m8000000000000000000000d", queue: "q4", alone: true };
    await store.settle(waitedOn!, "wait", { waiter });
    expect(await stateOf(waitedOn!)).toMatch(/^W\d+$/);
    expect((await store.settle(waitedOn!, "complete", { output: "done" }))?.waiters).toEqual([waiter]);

    // A field under the E token's slot in the bucket's waiters: only a read of the waiters finds it.
    await env.redis.hset(`${env.prefix}:{waitpoints}:waiters:${tokenBucket(never!)}`, `${tokenSlot(never!)}run_01m8000000000000000000000e`, "q5");
    const completed = await store.settle(never!, "complete", { output: "done" });
    expect(completed).toMatchObject({ status: "COMPLETED", moved: true, waiters: [] });

    // A token stored as W before any run registered (as every token was before E): read as before.
    await env.redis.hset(bucket, tokenField(legacy!), (await stateOf(legacy!))!.replace(/^E/, "W"));
    expect((await wait.retrieveToken(legacy!)).status).toBe("WAITING");
    const late = { runId: "run_01m8000000000000000000000f", queue: "q6", alone: false };
    await store.settle(legacy!, "wait", { waiter: late });
    expect((await store.settle(legacy!, "timeout"))?.waiters).toEqual([late]);
  });

  it("wakes every run parked on one token: the first kept in the bucket, the others with the token beside a large output", async () => {
    const worker = await createWorker({ tasks: [approval], concurrency: 5 });
    try {
      const token = await wait.createToken({ timeout: "1h" });
      const handles = await Promise.all(Array.from({ length: 5 }, () => approval.trigger(token.id)));
      for (const { id } of handles) await waitForStatus(id, "WAITING");
      expect((await wait.retrieveToken(token)).runs.sort()).toEqual(handles.map(({ id }) => id).sort());
      const inBucket = await env.redis.hkeys(`${env.prefix}:{waitpoints}:waiters:${tokenBucket(token.id)}`);
      expect(inBucket.filter((field) => field.startsWith(tokenSlot(token.id)))).toHaveLength(1);

      // An output this size turns the token's details from a listpack into a hash table, which
      // the settle script reads its other waiters from page by page.
      const approved = `approved ${"x".repeat(200_000)}`;
      expect((await wait.completeToken(token, approved)).completed).toBe(true);
      expect(await env.redis.object("ENCODING", `${env.prefix}:{waitpoints}:token:${token.id}`)).toBe("hashtable");
      for (const { id } of handles) expect((await waitForStatus(id, "COMPLETED")).output).toBe(approved);
    } finally {
      await worker.close();
    }
  });

  it("finds no token under an id whose time or random part was changed, though its bucket and slot exist", async () => {
    const [id] = await createTokens(1);
    const forged = [`${id!.slice(0, -1)}${id!.endsWith("0") ? "1" : "0"}`, `${id!.slice(0, 19)}${id!.charAt(19) === "0" ? "1" : "0"}${id!.slice(20)}`];
    for (const other of forged) {
      expect(tokenBucket(other) + tokenSlot(other)).toBe(tokenBucket(id!) + tokenSlot(id!));
      await expect(wait.completeToken(other, 1)).rejects.toBeInstanceOf(WaitpointNotFoundError);
      await expect(wait.retrieveToken(other)).rejects.toBeInstanceOf(WaitpointNotFoundError);
    }
    expect((await wait.retrieveToken(id!)).status).toBe("WAITING");
  });

  it("times out overdue tokens in every bucket, a few buckets per sweep", async () => {
    const due = await Promise.all(Array.from({ length: 300 }, () => wait.createToken({ timeout: "1s" }).then((token) => token.id)));
    const store = new WaitpointStore(runtime());
    const stored = async () => {
      const { first, last } = await store.bucketRange();
      const states = new Map((await store.readBuckets(first, last)).map(({ id, state }) => [id, state.status]));
      return due.map((id) => states.get(id));
    };
    for (let sweep = 0; sweep < 10 && (await stored()).includes("WAITING"); sweep += 1) await sweepAhead(1_500);
    expect(new Set(await stored())).toEqual(new Set(["TIMED_OUT"]));
  });

  it("removes settled tokens with their waiters and details after retention, and raises the floor past emptied buckets, up to the one the next token fills", async () => {
    await sweepAhead(10_000);
    await sweepAhead(10_000);
    const count = Number(await env.redis.get(`${env.prefix}:{waitpoints}:count`));
    const waiting = await wait.listTokens({ status: "WAITING", limit: 1_000 });
    await Promise.all(waiting.map((token) => wait.completeToken(token.id, "done")));
    await sweepAhead(10_000);
    await sweepAhead(10_000);
    expect(await tokenKeys()).toEqual([]);
    expect(Number(await env.redis.get(`${env.prefix}:{waitpoints}:floor`))).toBe(Math.floor(count / 32));
    expect(await wait.listTokens({ limit: 10 })).toEqual([]);

    const [next] = await createTokens(1);
    expect((await wait.listTokens({ limit: 10 })).map((token) => token.id)).toEqual([next]);
    expect(tokenField(next!)).toHaveLength(19);
  });

  it("lists the tokens made by (or since) a time without reading every bucket, past emptied ones too", async () => {
    const made: string[] = [];
    for (let i = 0; i < 40; i += 1) made.push(...(await Promise.all(Array.from({ length: 32 }, () => wait.createToken().then((token) => token.id)))));
    const to = timeOfId(made[600]!);
    const store = new WaitpointStore(runtime());
    const all = await store.list({ limit: 10_000 });
    const reads = vi.spyOn(WaitpointStore.prototype, "readBuckets");
    try {
      const listed = await store.list({ to, limit: 10_000 });
      expect(listed.map((token) => token.id)).toEqual(all.filter((token) => token.createdAt <= to).map((token) => token.id));
      expect(listed.map((token) => token.id)).toContain(made[600]);
      const bucketsRead = reads.mock.calls.reduce((sum, [first, last]) => sum + last - first + 1, 0);
      expect(bucketsRead).toBeLessThan(40);

      reads.mockClear();
      const from = timeOfId(made[1_200]!);
      const since = await store.list({ from, limit: 10_000 });
      expect(since.map((token) => token.id)).toEqual(all.filter((token) => token.createdAt >= from).map((token) => token.id));
      expect(reads.mock.calls.reduce((sum, [first, last]) => sum + last - first + 1, 0)).toBeLessThanOrEqual(16);

      const numbers = new Map(Array.from({ length: 10_000 }, (_, n) => [bucketName(n), n]));
      const [pivot, newest] = [made[600]!, made.at(-1)!].map((id) => numbers.get(tokenBucket(id))!) as [number, number];
      const emptied = [...Array.from({ length: 10 }, (_, i) => pivot - 10 + i), ...Array.from({ length: newest - pivot - 1 }, (_, i) => pivot + 1 + i)];
      expect(await env.redis.del(...emptied.map((bucket) => `${env.prefix}:{waitpoints}:tokens:${bucketName(bucket)}`))).toBe(emptied.length);
      const left = await store.list({ limit: 10_000 });
      expect((await store.list({ to, limit: 10_000 })).map((token) => token.id)).toEqual(left.filter((token) => token.createdAt <= to).map((token) => token.id));
    } finally {
      reads.mockRestore();
    }
  });
});
