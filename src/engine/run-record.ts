/**
 * The run record: a Redis hash per run holding what BullMQ's job does not — tags and metadata,
 * the attempt number, what a parked run waits on, the last error and how a failed run ended. The
 * task id, payload, enqueue time and output live in the job, and the run's id says its queue
 * (run-queues.ts). A run triggered without tags or metadata has no record until its execution
 * writes one: no record reads as the record of a run on its first attempt. This file converts
 * between the hash and a typed object.
 */
import type { FinalRunStatus } from "./run-status.js";
import type { SerializedError } from "./serialized-error.js";
import { waitersOf, type Waiter } from "./waiter.js";

/** One thing a parked run waits on, and until when at the latest. */
export type WaitingOn =
  | {
      /** `wait.for` and `wait.until`. */
      kind: "duration";
      /** When the wait ends, in ms since the epoch. */
      until: number;
    }
  | {
      /** `wait.forToken`, or an input stream's `.wait()` (then `stream` names the stream). */
      kind: "token";
      /** The waitpoint token's id. */
      id: string;
      /** When the token times out, in ms since the epoch. */
      until: number;
      stream?: string;
    }
  | {
      /** A child run (`triggerAndWait`, `batchTriggerAndWait`). */
      kind: "run";
      id: string;
      queue: string;
      /** How long the park lasts at most; the child's end wakes the run long before. */
      until: number;
    };

/** A run record, typed. */
export interface RunRecord {
  /** The run id (the key, not a field). */
  id: string;
  /** The run's queue (from its id, not a field). */
  queue: string;
  tags: string[];
  /** The run's metadata as last written (or as triggered, before any execution wrote it). */
  metadata: Record<string, unknown>;
  /** The metadata the run was triggered with: every execution rebuilds from it (and takes this copy over). */
  initialMetadata: Record<string, unknown>;
  /** The current attempt, from 1. */
  attempt: number;
  /** When the first attempt started. */
  startedAt?: number;
  /** What the run is parked on; empty unless parked. */
  waitingOn: WaitingOn[];
  /** The last attempt's error. */
  error?: SerializedError;
  outcome?: FinalRunStatus;
  finishedAt?: number;
  /** Execution time so far across attempts and resumes, for `maxDuration`. */
  executionMs: number;
  /** Runs waiting on this one (`r:<run id>` fields). */
  waiters: Waiter[];
  /** Set by `runs.cancel` while the run executes; the run ends CANCELED at its next chance. */
  cancelRequested: boolean;
  /**
   * What a run canceled before it executed keeps of its removed BullMQ job (task, payload,
   * enqueue time, and its queue, which two queues sharing a tag could not tell otherwise), so it
   * still reads as a CANCELED run.
   */
  tombstone?: { taskId: string; payload: unknown; createdAt: number; queue: string };
}

/** The hash fields of a new run's record; undefined for a run without tags or metadata, which has none yet. */
export function newRecordFields(tags: string[], metadata: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (tags.length === 0 && metadata === undefined) return undefined;
  return {
    ...(tags.length > 0 ? { tags: JSON.stringify(tags) } : {}),
    ...(metadata !== undefined ? { mi: JSON.stringify(metadata) } : {}),
  };
}

/** Encodes what a parked run waits on as short arrays, like the journal, to keep the run hash compact. */
export function encodeWaitingOn(waits: WaitingOn[]): string {
  return JSON.stringify(
    waits.map((wait) => {
      switch (wait.kind) {
        case "duration":
          return ["d", wait.until];
        case "token":
          return wait.stream === undefined
            ? ["t", wait.id.replace(/^waitpoint_/, ""), wait.until]
            : ["t", wait.id.replace(/^waitpoint_/, ""), wait.until, wait.stream];
        case "run":
          return ["r", wait.id.replace(/^run_/, ""), wait.until, wait.queue];
      }
    }),
  );
}

/** Decodes what `encodeWaitingOn` wrote. */
export function decodeWaitingOn(encoded: string): WaitingOn[] {
  return (JSON.parse(encoded) as [string, ...unknown[]][]).map((wait): WaitingOn => {
    if (wait[0] === "d") return { kind: "duration", until: wait[1] as number };
    if (wait[0] === "r") return { kind: "run", id: `run_${wait[1] as string}`, until: wait[2] as number, queue: wait[3] as string };
    return { kind: "token", id: `waitpoint_${wait[1] as string}`, until: wait[2] as number, ...(wait[3] !== undefined ? { stream: wait[3] as string } : {}) };
  });
}

/**
 * The wait results a run's hash holds (fields `w:<waitpoint id>`): the JSON result, or "" for
 * a wait still pending.
 */
export function waitResultsOf(fields: Record<string, string>): Map<string, string> {
  const results = new Map<string, string>();
  for (const [field, value] of Object.entries(fields)) if (field.startsWith("w:")) results.set(field.slice(2), value);
  return results;
}

/** Reads the record of run `id` of queue `queue` from its hash fields (none: a run not yet executed). */
export function decodeRecord(id: string, queue: string, fields: Record<string, string>): RunRecord {
  return {
    id,
    queue,
    tags: fields.tags ? (JSON.parse(fields.tags) as string[]) : [],
    metadata: JSON.parse(fields.metadata ?? fields.mi ?? "{}") as Record<string, unknown>,
    initialMetadata: JSON.parse(fields.mi ?? "{}") as Record<string, unknown>,
    attempt: fields.attempt ? Number(fields.attempt) : 1,
    ...(fields.startedAt ? { startedAt: Number(fields.startedAt) } : {}),
    waitingOn: fields.waitingOn ? decodeWaitingOn(fields.waitingOn) : [],
    ...(fields.error ? { error: JSON.parse(fields.error) as SerializedError } : {}),
    ...(fields.outcome ? { outcome: fields.outcome as FinalRunStatus } : {}),
    ...(fields.finishedAt ? { finishedAt: Number(fields.finishedAt) } : {}),
    executionMs: fields.executionMs ? Number(fields.executionMs) : 0,
    waiters: waitersOf(fields),
    cancelRequested: fields.cancel === "1",
    ...(fields.task !== undefined
      ? {
          tombstone: {
            taskId: fields.task,
            payload: fields.payload ? JSON.parse(fields.payload) : undefined,
            createdAt: Number(fields.createdAt),
            queue: fields.queue ?? queue,
          },
        }
      : {}),
  };
}
