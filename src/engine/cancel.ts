/**
 * Canceling runs. A queued, delayed or parked run is canceled at once: its record keeps what it
 * was (task, payload, enqueue time) and reads CANCELED, and its BullMQ job is removed. An
 * executing run is asked to stop: every worker hears the request on a pub/sub channel, and the
 * one executing the run aborts its signal and ends it CANCELED; the request is also stored, so a
 * worker that missed the message cancels the run at its next park or execution. Runs waiting on
 * a canceled run resume with `ok: false`; its children still going are canceled too.
 */
import { RunCanceledError } from "../errors/run-canceled-error.js";
import { RunNotFoundError } from "../errors/run-not-found-error.js";
import { runScript, scripts } from "../redis/scripts.js";
import { execOrThrow } from "../redis/transaction.js";
import { finishRun } from "./child-runs.js";
import { decodeJournal } from "./journal.js";
import { viewRun } from "./run-reader.js";
import { isFinalStatus, type RunStatus } from "./run-status.js";
import type { Runtime } from "./runtime.js";
import { serializeError } from "./serialized-error.js";

/** What `runs.cancel` returns. */
export interface CancelResult {
  id: string;
  /** False when the run had already ended. */
  canceled: boolean;
  /** The status after the call: CANCELED, or EXECUTING for a run asked to stop, or how it had ended. */
  status: RunStatus;
}

/** The runs a run triggered, from its journal. */
async function childrenOf(runtime: Runtime, runId: string): Promise<string[]> {
  const journal = decodeJournal(await runtime.client.hgetall(runtime.keys.run(runId)));
  return [...journal.values()].flatMap((entry) => (entry.kind === "trigger" || entry.kind === "trigger.wait" ? entry.runIds : []));
}

/** Cancels a run, then its children still going. Throws RunNotFoundError for no such run. */
export async function cancelRun(runtime: Runtime, runId: string): Promise<CancelResult> {
  const view = await viewRun(runtime, runId);
  if (!view) throw new RunNotFoundError(runId);
  if (isFinalStatus(view.status)) return { id: runId, canceled: false, status: view.status };
  const { client, keys, settings } = runtime;
  const error = serializeError(new RunCanceledError(runId));
  await client.hset(keys.run(runId), "cancel", "1");
  let status: RunStatus = "CANCELED";
  const removed = view.status !== "EXECUTING" && view.job ? await view.job.remove().then(() => true, () => false) : false;
  if (removed && view.job) {
    const finishedAt = Date.now();
    await execOrThrow(
      client.multi().hset(keys.run(runId), {
        outcome: "CANCELED",
        finishedAt: String(finishedAt),
        error: JSON.stringify(error),
        task: view.job.name,
        queue: view.record.queue,
        payload: JSON.stringify(view.job.data) ?? "null",
        createdAt: String(view.job.timestamp),
      }),
    );
    await runScript(client, scripts.expireRun, [keys.run(runId)], [finishedAt + settings.retentionMs]);
    await Promise.all([client.srem(keys.delays(view.record.queue), runId), client.zadd(keys.canceledRuns(view.record.queue), finishedAt, runId)]);
    await finishRun(runtime, runId, { ok: false, error });
  } else {
    await client.publish(keys.cancelChannel(), runId);
    status = "EXECUTING";
  }
  await Promise.all(
    (await childrenOf(runtime, runId)).map((childId) =>
      cancelRun(runtime, childId).catch((failure: unknown) => {
        if (!(failure instanceof RunNotFoundError)) throw failure;
      }),
    ),
  );
  return { id: runId, canceled: true, status };
}
