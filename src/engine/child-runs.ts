/**
 * Runs waiting on runs: a parent parked on its children (`triggerAndWait`,
 * `batchTriggerAndWait`). A child is a waitpoint whose id is its run id: the parent's hash holds
 * its result once it ends. The child's hash lists its waiters; when it ends it is marked done
 * (once) and its waiters are woken — at once by its executor, or by the retention sweeper if the
 * executor died first or did not know it had waiters.
 */
import { RunCanceledError } from "../errors/run-canceled-error.js";
import { runScript, scripts } from "../redis/scripts.js";
import { viewRun, type RunView } from "./run-reader.js";
import { isFinalStatus } from "./run-status.js";
import type { Runtime } from "./runtime.js";
import { serializeError } from "./serialized-error.js";
import type { WaitResult } from "./waitpoint-store.js";
import { encodeWaiter, waitersFromPairs, waitersOf, type Waiter } from "./waiter.js";
import { wakeAndClear } from "./waking.js";

/** How an ended run reads to a run that waited on it; undefined while it has not ended. */
export function runResult(view: RunView): WaitResult | undefined {
  if (!isFinalStatus(view.status)) return undefined;
  if (view.status === "COMPLETED") return { ok: true, output: view.job?.returnvalue ?? undefined };
  const error = view.record.error ?? (view.job?.failedReason ? { name: "Error", message: view.job.failedReason } : undefined);
  return { ok: false, error: error ?? serializeError(new RunCanceledError(view.record.id)) };
}

/** The result of run `runId` if it has ended; undefined while it goes on. */
export async function endedRunResult(runtime: Runtime, runId: string): Promise<WaitResult | undefined> {
  const view = await viewRun(runtime, runId);
  return view ? runResult(view) : undefined;
}

/**
 * Marks run `runId` ended with `result` and wakes the runs waiting on it (once). The wake-up is
 * noted as pending before the run is marked, and cleared when every waiter is handled, so the
 * waitpoint sweeper repeats it if this process dies anywhere in between or a waiter could not be
 * woken yet. A call that finds the run already marked leaves the note to the sweeper: the call
 * that marked it may still be waking.
 */
export async function finishRun(runtime: Runtime, runId: string, result: WaitResult): Promise<void> {
  const { client, keys } = runtime;
  await client.zadd(keys.pendingWakes(), Date.now(), runId);
  const resultJson = JSON.stringify(result);
  const [marked, ...pairs] = await runScript<string[]>(client, scripts.finishRun, [keys.run(runId)], [resultJson]);
  if (marked === "1") await wakeAndClear(runtime, runId, resultJson, waitersFromPairs(pairs));
}

/**
 * Repeats the wake-up of the runs waiting on run `runId`, with the result its end recorded, and
 * clears it once every waiter is handled or the run is gone. A run whose end is not recorded yet
 * (its executor died before marking it) is left for a later sweep: its next end wakes them.
 */
export async function retryRunWake(runtime: Runtime, runId: string): Promise<void> {
  const fields = await runtime.client.hgetall(runtime.keys.run(runId));
  if (fields.done !== undefined) await wakeAndClear(runtime, runId, fields.done, waitersOf(fields), true);
  else if (Object.keys(fields).length === 0) await runtime.client.zrem(runtime.keys.pendingWakes(), runId);
}

/** What registering as a waiter on a run found: the run still going, ended (with its result's JSON), or gone. */
export type RunWaitRegistration = { state: "waiting" } | { state: "done"; resultJson: string } | { state: "missing" };

/** Registers `waiter` as waiting on run `childId` of queue `childQueue`, unless the child has ended (then its result comes back) or is gone. */
export async function waitOnRun(runtime: Runtime, waiter: Waiter, childId: string, childQueue: string): Promise<RunWaitRegistration> {
  const { keys } = runtime;
  const [state, result] = await runScript<[RunWaitRegistration["state"], string?]>(runtime.client, scripts.waitOnRun, [keys.run(childId), keys.job(childQueue, childId)], [
    waiter.runId,
    encodeWaiter(waiter),
  ]);
  return state === "done" ? { state, resultJson: result! } : { state };
}
