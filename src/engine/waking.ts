/**
 * Waking parked runs. When a waitpoint (a token, or a child run) settles, each run waiting on it
 * records the result in its own hash (counting down the waits its park needs); the call that
 * brings the count to 0 promotes the run's delayed job. Both steps are idempotent, so the
 * waitpoint sweeper can repeat them — after a crash of whoever settled the waitpoint, or when a
 * waiter was still on its way to parking and its worker may have died before it looked again.
 * A result travels as its JSON (`{"ok":true,"output":...}` or `{"ok":false,"error":{...}}`),
 * made once however many runs wait: an output can be up to the service's body limit.
 */
import { ErrorCode, Job } from "bullmq";
import { runScript, scripts } from "../redis/scripts.js";
import type { Runtime } from "./runtime.js";
import type { Waiter } from "./waiter.js";

/** A run, and the queue it is on. */
export interface RunOfQueue {
  runId: string;
  queue: string;
}

/** What a run holds for one waitpoint after `settleRunWait`. */
export interface SettledWait {
  /** Waits its park still needs; -1 if this call counted nothing; -2 for no such run. */
  pending: number;
  /** The JSON of the result the run holds if another call recorded it first; undefined when it holds the one given. */
  held: string | undefined;
  /** The waits the run's latest park still needs, whoever counted them down. */
  parkPending: number;
}

/** Records the result `resultJson` as the result of run `runId` (of queue `queue`) for waitpoint `waitpointId` (once). */
export async function settleRunWait(runtime: Runtime, { runId, queue }: RunOfQueue, waitpointId: string, resultJson: string): Promise<SettledWait> {
  const { keys } = runtime;
  const [pending, held, parkPending] = await runScript<[number, string, number]>(runtime.client, scripts.settleWait, [keys.run(runId), keys.job(queue, runId)], [
    waitpointId,
    resultJson,
  ]);
  return { pending, held: held === "" ? undefined : held, parkPending };
}

/** What promoting a run found: its job moved from the delayed set, still active, or neither (woken already, ended, gone). */
export type Promotion = "promoted" | "active" | "elsewhere";

/** How many times a promotion is tried while each failed try finds the job in the delayed set by the time it looks. */
const PROMOTION_TRIES = 3;

/**
 * Moves a parked run's job from the delayed set to waiting. A job not delayed when tried is looked
 * up: one that reached the delayed set since (its run parking meanwhile) is tried again — calling
 * it "elsewhere" would lose the wake-up of a run that parked before seeing its wait settle; one
 * still active answers "active", as does one that keeps slipping past the tries (the caller keeps
 * the wake-up for a later retry).
 */
export async function promoteRun(runtime: Runtime, queue: string, runId: string): Promise<Promotion> {
  for (let tried = 1; ; tried += 1) {
    try {
      await new Job(runtime.queue(queue), "", undefined, {}, runId).promote();
      return "promoted";
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === ErrorCode.JobNotExist) return "elsewhere";
      if (code !== ErrorCode.JobNotInState) throw error;
      const state = await runtime.queue(queue).getJobState(runId);
      if (state === "active" || (state === "delayed" && tried === PROMOTION_TRIES)) return "active";
      if (state !== "delayed") return "elsewhere";
    }
  }
}

/**
 * Wakes one waiter of a settled waitpoint; false when its job was still active, so whether it
 * parks after all cannot be known yet. A run parked on this waitpoint alone is promoted at once,
 * beside the settling: should it replay before its result is recorded, it reads the waitpoint
 * itself. If that promotion finds the job active (the run on its way to parking), it is tried
 * again once the settling is recorded: the parking run reads its pending count only after its
 * job is delayed, so either it saw the count reach 0 and promotes itself, or the second try
 * finds the job delayed — unless the parking worker died in between, which is why a caller
 * keeps the wake-up for a later retry when this answers false.
 */
async function wakeWaiter(runtime: Runtime, waitpointId: string, resultJson: string, waiter: Waiter, retry: boolean): Promise<boolean> {
  const { runId, queue, alone } = waiter;
  if (alone && !retry) {
    const [, promoted] = await Promise.all([settleRunWait(runtime, waiter, waitpointId, resultJson), promoteRun(runtime, queue, runId)]);
    if (promoted !== "active") return true;
    return (await promoteRun(runtime, queue, runId)) !== "active";
  }
  const { pending, parkPending } = await settleRunWait(runtime, waiter, waitpointId, resultJson);
  const due = retry ? pending !== -2 && parkPending <= 0 : pending === 0;
  return !due || (await promoteRun(runtime, queue, runId)) !== "active";
}

/**
 * Settles every waiter's wait on a settled waitpoint and wakes those with nothing left to wait
 * for; answers false if any waiter's job was still active (see `wakeWaiter`). A retry (the
 * sweeper repeating a wake-up) wakes only runs whose latest park needs nothing more.
 */
async function wakeWaiters(runtime: Runtime, waitpointId: string, resultJson: string, waiters: Waiter[], retry: boolean): Promise<boolean> {
  const woken = await Promise.all(waiters.map((waiter) => wakeWaiter(runtime, waitpointId, resultJson, waiter, retry)));
  return woken.every(Boolean);
}

/**
 * Wakes the waiters of a settled waitpoint (token or ended run), then clears its pending
 * wake-up — unless a waiter's job was still active, which leaves the wake-up for the waitpoint
 * sweeper to repeat. With no waiters it only clears.
 */
export async function wakeAndClear(runtime: Runtime, waitpointId: string, resultJson: string, waiters: Waiter[], retry = false): Promise<void> {
  if (waiters.length > 0 && !(await wakeWaiters(runtime, waitpointId, resultJson, waiters, retry))) return;
  await runtime.client.zrem(runtime.keys.pendingWakes(), waitpointId);
}
