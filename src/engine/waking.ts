/**
 * Waking parked runs. When a waitpoint (a token, or a child run) settles, each run waiting on it
 * records the result in its own hash (counting down the waits its park needs); the call that
 * brings the count to 0 promotes the run's delayed job. Both steps are idempotent, so the
 * sweepers can repeat them after a crash of whoever settled the waitpoint.
 */
import { ErrorCode, Job } from "bullmq";
import { runScript, scripts } from "../redis/scripts.js";
import type { Runtime } from "./runtime.js";
import type { WaitResult } from "./waitpoint-store.js";
import type { Waiter } from "./waiter.js";

/** What a run holds for one waitpoint after `settleRunWait`. */
export interface SettledWait {
  /** Waits its park still needs; -1 if this call counted nothing; -2 for no such run. */
  pending: number;
  /** The result the run holds (the earlier one, if another call settled it first). */
  held: WaitResult | undefined;
  queue: string;
}

/** Records `result` as run `runId`'s result for waitpoint `waitpointId` (once). */
export async function settleRunWait(runtime: Runtime, runId: string, waitpointId: string, result: WaitResult): Promise<SettledWait> {
  const [pending, held, queue] = await runScript<[number, string, string]>(runtime.client, scripts.settleWait, [runtime.keys.run(runId)], [
    waitpointId,
    JSON.stringify(result),
  ]);
  return { pending, held: held === "" ? undefined : (JSON.parse(held) as WaitResult), queue };
}

/** Moves a parked run's job from the delayed set to waiting; false if it was not delayed (or is gone). */
export async function promoteRun(runtime: Runtime, queue: string, runId: string): Promise<boolean> {
  try {
    await new Job(runtime.queue(queue), "", undefined, {}, runId).promote();
    return true;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== ErrorCode.JobNotInState && code !== ErrorCode.JobNotExist) throw error;
    return false;
  }
}

/**
 * Settles every waiter's wait on a settled waitpoint and wakes those with nothing left to wait
 * for. A run parked on this waitpoint alone is promoted at once, beside the settling: should it
 * replay before its result is recorded, it reads the waitpoint itself, so nothing is lost. If
 * that promotion finds the job not yet delayed (the run is still on its way to parking), it is
 * tried again once the settling is recorded: the parking run reads its pending count only after
 * its job is delayed, so either it saw the count reach 0 and promoted itself, or the second try
 * comes after its job was delayed.
 */
export async function wakeWaiters(runtime: Runtime, waitpointId: string, result: WaitResult, waiters: Waiter[]): Promise<void> {
  await Promise.all(
    waiters.map(async ({ runId, queue, alone }) => {
      if (alone) {
        const [, promoted] = await Promise.all([settleRunWait(runtime, runId, waitpointId, result), promoteRun(runtime, queue, runId)]);
        if (!promoted) await promoteRun(runtime, queue, runId);
        return;
      }
      const { pending } = await settleRunWait(runtime, runId, waitpointId, result);
      if (pending === 0) await promoteRun(runtime, queue, runId);
    }),
  );
}
