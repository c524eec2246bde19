/**
 * The run record: a Redis hash per run holding what BullMQ's job does not — the queue (so a
 * run id leads to its job), tags and metadata, the attempt number, what a parked run waits
 * on, the last error and how a failed run ended. The task id, payload, enqueue time and
 * output live in the job. This file converts between the hash and a typed object.
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
   * enqueue time), so it still reads as a CANCELED run.
   */
  tombstone?: { taskId: string; payload: unknown; createdAt: number };
}

/** The hash fields of a new run's record. */
export function newRecordFields(record: Pick<RunRecord, "queue" | "tags" | "metadata">): Record<string, string> {
  return {
    queue: record.queue,
    ...(record.tags.length > 0 ? { tags: JSON.stringify(record.tags) } : {}),
    ...(Object.keys(record.metadata).length > 0 ? { mi: JSON.stringify(record.metadata) } : {}),
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

/** Reads run `id`'s record from its hash fields; undefined when the hash holds none. */
export function decodeRecord(id: string, fields: Record<string, string>): RunRecord | undefined {
  if (fields.queue === undefined) return undefined;
  return {
    id,
    queue: fields.queue,
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
      ? { tombstone: { taskId: fields.task, payload: fields.payload ? JSON.parse(fields.payload) : undefined, createdAt: Number(fields.createdAt) } }
      : {}),
  };
}
