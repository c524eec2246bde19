/**
 * What a parked run shows in Bull Board: its BullMQ job's progress is the run's metadata, plus,
 * while the run is parked, a `durabull` entry saying what it waits on and until when. The
 * dashboard also shows that summary beside the job's name.
 */
import type { WaitingOn } from "./run-record.js";

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

/** A job's progress: the metadata, with the parked entry while parked. */
export function progressOf(metadata: Record<string, unknown>, parked?: ParkedProgress): Record<string, unknown> {
  return parked ? { ...metadata, [PARKED_PROGRESS_KEY]: parked } : metadata;
}

/** One line summing up a job's parked entry, e.g. "waits for token waitpoint_… until 2026-…"; undefined when not parked. */
export function parkedSummary(progress: unknown): string | undefined {
  if (typeof progress !== "object" || progress === null) return undefined;
  const parked = (progress as Record<string, unknown>)[PARKED_PROGRESS_KEY] as Partial<ParkedProgress> | undefined;
  if (!parked || !Array.isArray(parked.waitingFor) || typeof parked.until !== "string") return undefined;
  return `waits for ${parked.waitingFor.join(", ")} until ${parked.until}`;
}
