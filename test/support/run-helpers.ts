/**
 * Helpers for engine tests: wait for a run to reach a status (polling `runs.retrieve`, with a
 * generous deadline, failing at once on an unexpected final status), and read BullMQ's view of
 * a run's job.
 */
import { Job } from "bullmq";
import { setTimeout as sleep } from "node:timers/promises";
import { runs, type RunDetails, type RunStatus } from "../../src/index.js";
import { runtime } from "../../src/engine/runtime.js";

const FINAL: RunStatus[] = ["COMPLETED", "FAILED", "CANCELED", "TIMED_OUT"];

/** Resolves with the run once its status is one of `statuses`. */
export async function waitForStatus(runId: string, statuses: RunStatus | RunStatus[], timeoutMs = 20_000): Promise<RunDetails> {
  const wanted = Array.isArray(statuses) ? statuses : [statuses];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await runs.retrieve(runId);
    if (wanted.includes(run.status)) return run;
    if (FINAL.includes(run.status)) {
      throw new Error(`run ${runId} ended ${run.status} (${run.error?.message ?? "no error"}), expected ${wanted.join(" or ")}`);
    }
    if (Date.now() > deadline) throw new Error(`run ${runId} is still ${run.status} after ${timeoutMs} ms, expected ${wanted.join(" or ")}`);
    await sleep(25);
  }
}

/** The BullMQ job of a run. */
export async function jobOf(queue: string, runId: string): Promise<Job | undefined> {
  return Job.fromId(runtime().queue(queue), runId);
}

/** The BullMQ state of a run's job. */
export async function jobStateOf(queue: string, runId: string): Promise<string> {
  return runtime().queue(queue).getJobState(runId);
}
