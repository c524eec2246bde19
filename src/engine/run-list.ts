/**
 * `runs.list` and `runs.replay`. Listing reads the newest runs of each queue from BullMQ's own
 * sets (and the runs canceled before they executed), filters them by task, status, tag and
 * creation time, and returns the newest first. It looks at a bounded number of recent runs per
 * queue and state, so it answers "what is going on", not a search of all history.
 */
import type { JobType } from "bullmq";
import { queueNames } from "./queues.js";
import { retrieveRun, type RunDetails } from "./run-reader.js";
import { RUN_STATUSES, type RunStatus } from "./run-status.js";
import type { Runtime } from "./runtime.js";
import { resolveTaskTarget } from "./task-registry.js";
import { triggerRuns, type RunHandle } from "./trigger.js";

/** Filters of `runs.list`. */
export interface RunFilters {
  taskIdentifier?: string[];
  status?: RunStatus[];
  tag?: string;
  queue?: string;
  /** Created at or after. */
  from?: number;
  /** Created at or before. */
  to?: number;
  limit: number;
}

const STATES: Record<RunStatus, JobType[]> = {
  QUEUED: ["waiting", "prioritized"],
  EXECUTING: ["active"],
  WAITING: ["delayed"],
  DELAYED: ["delayed"],
  COMPLETED: ["completed"],
  FAILED: ["failed"],
  TIMED_OUT: ["failed"],
  CANCELED: ["failed"],
};

/** Recent runs matching the filters, newest first. */
export async function listRuns(runtime: Runtime, filters: RunFilters): Promise<RunDetails[]> {
  const statuses = filters.status ?? RUN_STATUSES;
  const types = [...new Set(statuses.flatMap((status) => STATES[status]))];
  const scan = Math.min(1_000, filters.limit * 10);
  const queues = filters.queue ? [filters.queue] : await queueNames(runtime);
  const candidates = await Promise.all(
    queues.map(async (name) => {
      const queue = runtime.queue(name);
      const jobs = await queue.getJobs(types, 0, scan - 1, false);
      const ids = jobs
        .filter((job) => !filters.taskIdentifier || filters.taskIdentifier.includes(job.name))
        .filter((job) => (filters.from === undefined || job.timestamp >= filters.from) && (filters.to === undefined || job.timestamp <= filters.to))
        .map((job) => job.id!);
      if (statuses.includes("CANCELED")) ids.push(...(await runtime.client.zrevrange(runtime.keys.canceledRuns(name), 0, scan - 1)));
      return ids;
    }),
  );
  const runs = await Promise.all([...new Set(candidates.flat())].map((runId) => retrieveRun(runtime, runId).catch(() => undefined)));
  return runs
    .filter((run): run is RunDetails => run !== undefined)
    .filter((run) => statuses.includes(run.status))
    .filter((run) => !filters.taskIdentifier || filters.taskIdentifier.includes(run.taskIdentifier))
    .filter((run) => !filters.tag || run.tags.includes(filters.tag))
    .filter((run) => (filters.from === undefined || run.createdAt.getTime() >= filters.from) && (filters.to === undefined || run.createdAt.getTime() <= filters.to))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
    .slice(0, filters.limit);
}

/** Starts a new run of the same task, on the same queue, with the same payload and tags. */
export async function replayRun(runtime: Runtime, runId: string): Promise<RunHandle> {
  const run = await retrieveRun(runtime, runId);
  const target = await resolveTaskTarget(runtime, run.taskIdentifier);
  const [handle] = await triggerRuns(runtime, [
    { target: { ...target, queue: run.queue }, payload: run.payload, options: run.tags.length > 0 ? { tags: run.tags } : undefined },
  ]);
  return handle!;
}
