/**
 * What a parked run shows in Bull Board: the dashboard adds to its job's progress (the run's
 * metadata) a `durabull` entry saying what it waits on and until when, read from the run's record
 * as Bull Board asks for jobs. Nothing of it is stored in the job: a job hash whose every value
 * fits Redis's compact encoding (64 bytes by default) takes about a third of the memory, and a park
 * or resume writes nothing to the job but its move.
 */
import type { Job, Queue } from "bullmq";
import { decodeWaitingOn, type WaitingOn } from "./run-record.js";
import type { Runtime } from "./runtime.js";

/** The key of the parked entry in a job's progress. */
export const PARKED_PROGRESS_KEY = "durabull";

/** The parked entry of a job's progress. */
export interface ParkedProgress {
  /** What the run waits on, one readable line each: "token waitpoint_…", "run run_…", "timer". */
  waitingFor: string[];
  /** When the park ends at the latest (ISO 8601): a timer's end, a token's timeout. */
  until: string;
}

/** What `describeWait` needs of a wait: a record's `WaitingOn` or a run's `RunWaitingOn` will do. */
export type DescribedWait = { kind: "duration" } | { kind: "token"; id: string; stream?: string } | { kind: "run"; id: string; queue: string };

/** Describes one wait for people: "timer", "token waitpoint_…", "child run run_… on queue "q"". */
export function describeWait(wait: DescribedWait): string {
  switch (wait.kind) {
    case "duration":
      return "timer";
    case "token":
      return wait.stream ? `input stream "${wait.stream}" (token ${wait.id})` : `token ${wait.id}`;
    case "run":
      return `child run ${wait.id} on queue "${wait.queue}"`;
  }
}

/** The parked entry for a run parked on `waits`. */
export function parkedProgress(waits: WaitingOn[]): ParkedProgress {
  return { waitingFor: waits.map(describeWait), until: new Date(Math.max(...waits.map((wait) => wait.until))).toISOString() };
}

/**
 * Adds the parked entry to the progress of each of `jobs` (of `queue`) whose run is parked — its
 * job delayed, its record naming what it waits on — in place, with one pipelined read. A run's
 * metadata is an object, so its progress is too.
 */
export async function showParked(runtime: Runtime, queue: Queue, jobs: Job[]): Promise<void> {
  if (jobs.length === 0) return;
  const pipeline = runtime.client.pipeline();
  for (const job of jobs) pipeline.zscore(queue.keys.delayed as string, job.id as string).hget(runtime.keys.run(job.id as string), "waitingOn");
  const replies = (await pipeline.exec()) ?? [];
  jobs.forEach((job, index) => {
    const [delayed, encoded] = [replies[2 * index]?.[1], replies[2 * index + 1]?.[1]];
    if (typeof delayed !== "string" || typeof encoded !== "string") return;
    const waits = decodeWaitingOn(encoded);
    if (waits.length === 0) return;
    const metadata = typeof job.progress === "object" && job.progress !== null ? job.progress : {};
    job.progress = { ...metadata, [PARKED_PROGRESS_KEY]: parkedProgress(waits) };
  });
}

/** One line summing up a job's parked entry, e.g. "waits for token waitpoint_… until 2026-…"; undefined when not parked. */
export function parkedSummary(progress: unknown): string | undefined {
  if (typeof progress !== "object" || progress === null) return undefined;
  const parked = (progress as Record<string, unknown>)[PARKED_PROGRESS_KEY] as Partial<ParkedProgress> | undefined;
  if (!parked || !Array.isArray(parked.waitingFor) || typeof parked.until !== "string") return undefined;
  return `waits for ${parked.waitingFor.join(", ")} until ${parked.until}`;
}
