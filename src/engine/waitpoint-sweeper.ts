/**
 * The waitpoint sweeper: the background work that keeps tokens honest. Each worker runs one;
 * every second one of them (whoever takes the lock) wakes the waiters of tokens settled a while
 * ago whose waking never finished (the process that settled them died), times out WAITING tokens
 * whose timeout has passed (so their status and retention need no reader), and removes tokens
 * that settled longer than `retention` ago. Parked runs keep the results of their waits in their
 * own hashes, so removing a settled token never takes anything from a run.
 */
import { randomUUID } from "node:crypto";
import { PeriodicTask } from "./periodic-task.js";
import { runScript, scripts } from "../redis/scripts.js";
import type { Runtime } from "./runtime.js";
import { wakeWaiters } from "./waking.js";
import { WaitpointStore } from "./waitpoint-store.js";

const BATCH = 200;
/** How long a settled token's waking may take before the sweeper repeats it. */
const WAKE_GRACE_MS = 5_000;

/** Sweeps the waitpoints of one prefix. */
export class WaitpointSweeper {
  private readonly periodic: PeriodicTask;
  private readonly owner = randomUUID();
  private readonly store: WaitpointStore;

  constructor(
    private readonly runtime: Runtime,
    private readonly intervalMs = 1_000,
  ) {
    this.store = new WaitpointStore(runtime);
    this.periodic = new PeriodicTask(intervalMs, () => this.sweep(), (error) => runtime.settings.logger.warn(`waitpoint sweep failed: ${error.message}`));
  }

  /** Starts sweeping every interval. */
  start(): void {
    this.periodic.start();
  }

  /** Stops sweeping and waits for a sweep under way. */
  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** One sweep, if this worker gets the lock; answers how many tokens it handled. */
  async sweep(now = Date.now()): Promise<number> {
    const { client, keys } = this.runtime;
    if ((await client.set(keys.waitpointSweepLock(), this.owner, "PX", this.intervalMs, "NX")) !== "OK") return 0;
    const unwoken = await client.zrangebyscore(keys.tokenWakes(), "-inf", now - WAKE_GRACE_MS, "LIMIT", 0, BATCH);
    const due = await client.zrangebyscore(keys.tokensByTimeout(), "-inf", now, "LIMIT", 0, BATCH);
    for (const tokenId of [...unwoken, ...due]) {
      const state = await this.store.settle(tokenId, "check", { now });
      if (!state) await client.zrem(keys.tokenWakes(), tokenId);
      else if (state.result) await wakeWaiters(this.runtime, tokenId, state.result, state.waiters);
    }
    const removed = await runScript<number>(
      client,
      scripts.removeSettledTokens,
      [keys.tokensBySettling(), keys.tokensByCreation(), keys.tokenWakes(), keys.tokensByTimeout()],
      [keys.waitpointsPrefix(), now - this.runtime.settings.retentionMs, BATCH],
    );
    return unwoken.length + due.length + removed;
  }

}
