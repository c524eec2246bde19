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
import { encodeWaiter, waitersFromPairs, type Waiter } from "./waiter.js";
import { wakeWaiters } from "./waking.js";

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

/** Marks run `runId` ended with `result` and wakes the runs waiting on it (once). */
export async function finishRun(runtime: Runtime, runId: string, result: WaitResult): Promise<void> {
  const waiters = waitersFromPairs(await runScript<string[]>(runtime.client, scripts.finishRun, [runtime.keys.run(runId)], []));
  if (waiters.length > 0) await wakeWaiters(runtime, runId, result, waiters);
}

/** Registers `waiter` as waiting on run `childId`; answers whether the child has already ended (or is gone). */
export async function waitOnRun(runtime: Runtime, waiter: Waiter, childId: string): Promise<"done" | "waiting" | "missing"> {
  return runScript(runtime.client, scripts.waitOnRun, [runtime.keys.run(childId)], [waiter.runId, encodeWaiter(waiter)]);
}
