/**
 * Reading runs: `runs.retrieve`, and the status alone (for idempotency keys and cancellation),
 * from a run's record and its BullMQ job.
 */
import type { Job } from "bullmq";
import { RunNotFoundError } from "../errors/run-not-found-error.js";
import { isId } from "./ids.js";
import type { RunRecord } from "./run-record.js";
import { runQueues } from "./run-queues.js";
import { RunStore } from "./run-store.js";
import { deriveRunStatus, isFinalStatus, type JobState, type RunStatus } from "./run-status.js";
import type { Runtime } from "./runtime.js";
import type { SerializedError } from "./serialized-error.js";

/** What a parked run waits on, and until when at the latest. */
export type RunWaitingOn =
  | { kind: "duration"; until: Date }
  | {
      /** A waitpoint token (`wait.forToken`), or the token behind an input stream's `.wait()`. */
      kind: "token";
      id: string;
      /** When the token times out. */
      until: Date;
      /** The input stream, for a stream's `.wait()`. */
      stream?: string;
    }
  | {
      /** A child run (`triggerAndWait`, `batchTriggerAndWait`). */
      kind: "run";
      id: string;
      queue: string;
      /** When the park ends at the latest; the child's end wakes the run long before. */
      until: Date;
    };

/** A run, as `runs.retrieve` returns it. */
export interface RunDetails<TPayload = unknown, TOutput = unknown> {
  id: string;
  taskIdentifier: string;
  queue: string;
  status: RunStatus;
  payload: TPayload;
  /** The run's result, once COMPLETED. */
  output?: TOutput;
  /** The last attempt's error: the final one once FAILED, TIMED_OUT or CANCELED. */
  error?: SerializedError;
  /** Attempts made so far, the current one included. */
  attemptCount: number;
  tags: string[];
  metadata: Record<string, unknown>;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  /** What a WAITING run is parked on. */
  waitingOn?: RunWaitingOn[];
}

/** A run's record, its job (if it still has one) and its status, read consistently. */
export interface RunView {
  record: RunRecord;
  job: Job | undefined;
  status: RunStatus;
}

/**
 * Reads a run's record and job; undefined when there is no such run. A run is its BullMQ job
 * (on the queue its id names, run-queues.ts) and its record (found by id; none until it is
 * written); the two are kept and expire together, and a run whose job is gone is gone — unless
 * it was canceled before it ever executed, when its record keeps what it was.
 */
export async function viewRun(runtime: Runtime, runId: string): Promise<RunView | undefined> {
  if (!isId("run", runId)) return undefined;
  const tried = new Set<string>();
  for (const fresh of [false, true]) {
    for (const queue of await runQueues(runtime, runId, fresh)) {
      if (tried.has(queue)) continue;
      tried.add(queue);
      const view = await viewOnQueue(runtime, runId, queue);
      if (view) return view;
    }
  }
  return undefined;
}

/**
 * Reads run `runId` as a run of queue `queue`; undefined if it has no job there and no record
 * saying it was canceled there.
 *
 * The executor writes the record before each move of the job (park, retry, failure), so when the
 * job is seen parked or finished, the record is read again after it: the second read is at least
 * as new as the job's move, and the status holds together. A finished job is read again too: the
 * first read may have caught it still active, before its output was written.
 */
async function viewOnQueue(runtime: Runtime, runId: string, queueName: string): Promise<RunView | undefined> {
  const store = new RunStore(runtime);
  const queue = runtime.queue(queueName);
  const [first, state, read] = await Promise.all([queue.getJob(runId), queue.getJobState(runId), store.read(runId, queueName)]);
  const finished = state === "failed" || state === "completed";
  let [job, record] = [first, read];
  if (state === "delayed" || finished || !job) [record, job] = await Promise.all([store.read(runId, queueName), finished ? queue.getJob(runId) : job]);
  if (!job && record.tombstone?.queue !== queueName) return undefined;
  return { record, job, status: deriveRunStatus(state as JobState, { outcome: record.outcome, parked: record.waitingOn.length > 0 }) };
}

/** Reads a run; throws RunNotFoundError when there is none with this id. */
export async function retrieveRun(runtime: Runtime, runId: string): Promise<RunDetails> {
  const view = await viewRun(runtime, runId);
  if (!view) throw new RunNotFoundError(runId);
  const { record, job, status } = view;
  const error = record.error ?? (job?.failedReason ? { name: "Error", message: job.failedReason } : undefined);
  const finishedOn = record.finishedAt ?? job?.finishedOn;
  const startedOn = record.startedAt ?? job?.processedOn;
  return {
    id: runId,
    taskIdentifier: job?.name ?? record.tombstone!.taskId,
    queue: record.queue,
    status,
    payload: job ? job.data : record.tombstone!.payload,
    ...(status === "COMPLETED" ? { output: job?.returnvalue } : {}),
    ...(error && status !== "COMPLETED" ? { error } : {}),
    attemptCount: record.attempt,
    tags: record.tags,
    metadata: record.metadata,
    createdAt: new Date(job?.timestamp ?? record.tombstone!.createdAt),
    ...(startedOn ? { startedAt: new Date(startedOn) } : {}),
    ...(finishedOn && isFinalStatus(status) ? { finishedAt: new Date(finishedOn) } : {}),
    ...(status === "WAITING" ? { waitingOn: record.waitingOn.map((wait) => ({ ...wait, until: new Date(wait.until) })) } : {}),
  };
}
