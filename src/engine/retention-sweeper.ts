/**
 * The retention sweeper: gives finished runs their end of life without a write on the hot
 * path. Each worker runs one per queue; every few seconds one of them (whoever takes the
 * queue's lock) pages through BullMQ's completed and failed sets from where the last sweep
 * stopped and sets each finished run (its hash and input buffers) to expire `retention` after it
 * finished — the age at which BullMQ removes the job, so a run's status, output and times
 * (read from the job) and its record go together. It reads BullMQ's own sets, so a crash
 * anywhere loses nothing: the next sweep picks up at the cursor. Sweeping twice is harmless.
 * It also wakes runs waiting on a finished run whose end did not wake them (its executor died
 * first, or it was triggered without waiters and gained one through an idempotency key).
 */
import { randomUUID } from "node:crypto";
import { endedRunResult, finishRun } from "./child-runs.js";
import { PeriodicTask } from "./periodic-task.js";
import { loadScript, scripts } from "../redis/scripts.js";
import { execOrThrow } from "../redis/transaction.js";
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

  /** One sweep, if this worker gets the queue's lock; answers how many runs it finished off. */
  async sweep(): Promise<number> {
    const { client, keys } = this.runtime;
    const locked = await client.set(keys.retentionLock(this.queue), this.owner, "PX", this.intervalMs, "NX");
    if (locked !== "OK") return 0;
    let swept = 0;
    for (const state of STATES) swept += await this.sweepState(state);
    await client.zremrangebyscore(keys.canceledRuns(this.queue), "-inf", Date.now() - this.runtime.settings.retentionMs);
    return swept;
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
      await loadScript(client, scripts.expireRun);
      const expiries = client.pipeline();
      for (const [runId, finishedAt] of finished) {
        const { sha, numberOfKeys } = scripts.expireRun;
        expiries.evalsha(sha, numberOfKeys, keys.run(runId), finishedAt + settings.retentionMs, keys.runPrefix(runId));
      }
      const replies = await execOrThrow(expiries);
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
