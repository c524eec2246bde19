/**
 * The retention sweeper: gives finished runs their end of life without a write on the hot
 * path. Each worker runs one per queue; every few seconds one of them (whoever takes the
 * queue's lock) pages through BullMQ's completed and failed sets from where the last sweep
 * stopped and sets each finished run (its hash and input buffers) to expire `retention` after it
 * finished — the age at which its job is removed (by BullMQ, or by this sweep on a quiet queue),
 * so a run's status, output and times (read from the job) and its record go together. It reads
 * BullMQ's own sets, so a crash anywhere loses nothing: the next sweep picks up at the cursor.
 * Sweeping twice is harmless.
 * It also wakes runs waiting on a finished run whose end did not wake them (its executor died
 * first, or it was triggered without waiters and gained one through an idempotency key).
 */
import { randomUUID } from "node:crypto";
import { endedRunResult, finishRun } from "./child-runs.js";
import { PeriodicTask } from "./periodic-task.js";
import { queueTag, runTag } from "../redis/keys.js";
import { runScript, scripts } from "../redis/scripts.js";
import type { Runtime } from "./runtime.js";

const BATCH = 1_000;
/** Runs that finished this recently are left for the next sweep: no more can join their millisecond. */
const SETTLE_MS = 1_000;
const STATES = ["completed", "failed"] as const;
type FinishedState = (typeof STATES)[number];

/** A position in a finished set: the score reached and how many entries with that score were done. */
interface Cursor {
  score: number;
  offset: number;
}

function parseCursor(text: string | null | undefined): Cursor {
  const [score, offset] = (text ?? "0:0").split(":").map(Number);
  return { score: score ?? 0, offset: offset ?? 0 };
}

/** Sweeps one queue's finished runs. */
export class RetentionSweeper extends PeriodicTask {
  private readonly owner = randomUUID();

  constructor(
    private readonly runtime: Runtime,
    private readonly queue: string,
    intervalMs = 2_000,
  ) {
    super(intervalMs, `retention sweep of queue "${queue}"`, runtime.settings.logger);
  }

  protected tick(): Promise<number> {
    return this.sweep();
  }

  /**
   * One sweep, if this worker gets the queue's lock; answers how many runs it set to expire. It
   * also removes the jobs of runs that finished more than `retention` ago: BullMQ removes them by
   * age only when another job of the queue completes, so on a queue gone quiet they would stay.
   */
  async sweep(): Promise<number> {
    const { client, keys, settings } = this.runtime;
    const locked = await client.set(keys.retentionLock(this.queue), this.owner, "PX", this.intervalMs, "NX");
    if (locked !== "OK") return 0;
    let swept = 0;
    for (const state of STATES) swept += await this.sweepState(state);
    await Promise.all([...STATES.map((state) => this.removeExpiredJobs(state)), client.zremrangebyscore(keys.canceledRuns(this.queue), "-inf", Date.now() - settings.retentionMs)]);
    return swept;
  }

  /** Removes, a page at a time, the jobs of the queue's runs that finished in `state` more than `retention` ago. */
  private async removeExpiredJobs(state: FinishedState): Promise<void> {
    const queue = this.runtime.queue(this.queue);
    let removed: string[];
    do removed = await queue.clean(this.runtime.settings.retentionMs, BATCH, state);
    while (removed.length === BATCH);
  }

  /**
   * Sets finished runs to expire `retention` after they finished; answers expire-run's reply for
   * each. The runs of the queue (their ids carry its tag) go in one script, in the queue's slot; a
   * job added to the queue by hand, whose keys sit in a slot of their own, in a script of its own.
   */
  private async expire(finished: [string, number][]): Promise<number[]> {
    const { client, keys, settings } = this.runtime;
    const tag = queueTag(this.queue);
    const replies: number[] = [];
    const ours: number[] = [];
    const calls: Promise<void>[] = [];
    finished.forEach(([runId, finishedAt], i) => {
      if (runTag(runId) === tag) ours.push(i);
      else {
        const expiring = runScript<number>(client, scripts.expireRun, [keys.run(runId)], [finishedAt + settings.retentionMs]);
        calls.push(expiring.then((reply) => void (replies[i] = reply)));
      }
    });
    if (ours.length > 0) {
      const expiring = ours.flatMap((i) => [keys.run(finished[i]![0]), finished[i]![1] + settings.retentionMs]);
      const batch = runScript<number[]>(client, scripts.expireRuns, [keys.retentionCursor(this.queue)], expiring);
      calls.push(batch.then((batchReplies) => ours.forEach((i, j) => (replies[i] = batchReplies[j]!))));
    }
    await Promise.all(calls);
    return replies;
  }

  /** Wakes the runs waiting on a finished run whose end did not wake them. */
  private async wakeWaitersOf(runId: string): Promise<void> {
    const result = await endedRunResult(this.runtime, runId);
    if (result) await finishRun(this.runtime, runId, result);
  }

  private async sweepState(state: FinishedState): Promise<number> {
    const { client, keys, settings } = this.runtime;
    const finishedSet = this.runtime.queue(this.queue).keys[state] as string;
    const cursorKey = keys.retentionCursor(this.queue);
    let cursor = parseCursor(await client.hget(cursorKey, state));
    let swept = 0;
    for (;;) {
      const settled = Date.now() - SETTLE_MS;
      const page = await client.zrangebyscore(finishedSet, cursor.score, settled, "WITHSCORES", "LIMIT", cursor.offset, BATCH);
      const finished: [string, number][] = [];
      for (let i = 0; i < page.length; i += 2) finished.push([page[i]!, Number(page[i + 1])]);
      if (finished.length === 0) return swept;
      const replies = await this.expire(finished);
      await Promise.all(finished.map(([runId], i) => (replies[i] === 2 ? this.wakeWaitersOf(runId) : undefined)));
      swept += finished.length;
      const last = finished[finished.length - 1]![1];
      const sameScore = finished.filter(([, score]) => score === last).length;
      cursor = { score: last, offset: last === cursor.score ? cursor.offset + sameScore : sameScore };
      await client.hset(cursorKey, state, `${cursor.score}:${cursor.offset}`);
      if (finished.length < BATCH) return swept;
    }
  }
}
