/**
 * The waitpoint sweeper: the background work that keeps tokens and wake-ups honest. Each worker runs one;
 * every second one of them (whoever takes the lock):
 * - repeats wake-ups that did not finish a while after they began — of settled tokens and of
 *   ended runs with waiters — because the process waking died, or a waiter was still on its way
 *   to parking and its worker may have died before it looked again;
 * - scans on through all tokens, a few buckets per sweep, timing out WAITING ones whose timeout passed.
 *   A token someone waits on is timed out by that waiter (its park's deadline is the timeout) and
 *   reads report an overdue token TIMED_OUT anyway; the scan settles the rest, so retention
 *   reaches every token without an index of timeouts;
 * - removes tokens that settled longer than `retention` ago. Parked runs keep the results of
 *   their waits in their own hashes, so removing a settled token never takes anything from a run.
 */
import { randomUUID } from "node:crypto";
import { runScript, scripts } from "../redis/scripts.js";
import { PeriodicTask } from "./periodic-task.js";
import type { Runtime } from "./runtime.js";
import { retryRunWake } from "./child-runs.js";
import { isId } from "./ids.js";
import { wakeAndClear } from "./waking.js";
import { WaitpointStore } from "./waitpoint-store.js";

const BATCH = 200;
/** Buckets of tokens the scan for overdue ones reads per sweep (up to 256 tokens). */
const SCAN_BUCKETS = 8;
/** How long a settled token's waking may take before the sweeper repeats it. */
const WAKE_GRACE_MS = 5_000;

/** Sweeps the waitpoints of one prefix. */
export class WaitpointSweeper extends PeriodicTask {
  private readonly owner = randomUUID();
  private readonly store: WaitpointStore;

  constructor(
    private readonly runtime: Runtime,
    intervalMs = 1_000,
  ) {
    super(intervalMs, "waitpoint sweep", runtime.settings.logger);
    this.store = new WaitpointStore(runtime);
  }

  protected tick(): Promise<number> {
    return this.sweep();
  }

  /** Settles a token if it is due, and wakes its waiters (again, for a retry); a token not settled (or gone) leaves the pending wake-ups. */
  private async wakeToken(tokenId: string, now: number, retry: boolean): Promise<void> {
    const state = await this.store.settle(tokenId, "check", { now });
    if (state?.resultJson) await wakeAndClear(this.runtime, tokenId, state.resultJson, state.waiters, retry);
    else await this.runtime.client.zrem(this.runtime.keys.pendingWakes(), tokenId);
  }

  /** One sweep, if this worker gets the lock; answers how many tokens it settled, woke or removed. */
  async sweep(now = Date.now()): Promise<number> {
    const { client, keys } = this.runtime;
    if ((await client.set(keys.waitpointSweepLock(), this.owner, "PX", this.intervalMs, "NX")) !== "OK") return 0;
    const unwoken = await client.zrangebyscore(keys.pendingWakes(), "-inf", now - WAKE_GRACE_MS, "LIMIT", 0, BATCH);
    let handled = 0;
    for (const id of unwoken) {
      if (isId("run", id)) await retryRunWake(this.runtime, id);
      else await this.wakeToken(id, now, true);
      handled += 1;
    }
    for (const tokenId of await this.overdue(now)) {
      await this.wakeToken(tokenId, now, false);
      handled += 1;
    }
    const removed = await runScript<number>(
      client,
      scripts.removeSettledTokens,
      [keys.tokensBySettling(), keys.pendingWakes(), keys.tokenCount(), keys.tokenFloor()],
      [keys.waitpointsPrefix(), now - this.runtime.settings.retentionMs, BATCH],
    );
    return handled + removed;
  }

  /** The next buckets of the scan through all tokens: the WAITING tokens in them that are overdue. */
  private async overdue(now: number): Promise<string[]> {
    const { client, keys } = this.runtime;
    const { first, last } = await this.store.bucketRange();
    if (first > last) return [];
    const cursor = Number(await client.get(keys.tokenScanCursor()));
    const from = cursor >= first && cursor <= last ? cursor : first;
    const to = Math.min(last, from + SCAN_BUCKETS - 1);
    const tokens = await this.store.readBuckets(from, to);
    await client.set(keys.tokenScanCursor(), to === last ? first : to + 1);
    return tokens.filter(({ state }) => state.status === "WAITING" && now >= state.timeoutAt).map(({ id }) => id);
  }
}
