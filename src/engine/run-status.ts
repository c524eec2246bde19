/**
 * A run's status. BullMQ's job state is the truth about a run's lifecycle (it survives
 * crashes, because BullMQ moves jobs atomically); the run record adds what BullMQ cannot say:
 * that a delayed job is parked on a wait rather than backing off, and how a failed run ended.
 */

/** Every status a run can have. */
export const RUN_STATUSES = ["QUEUED", "DELAYED", "EXECUTING", "WAITING", "COMPLETED", "FAILED", "CANCELED", "TIMED_OUT"] as const;

/** A run's status. */
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Statuses a run ends in. */
export type FinalRunStatus = Extract<RunStatus, "COMPLETED" | "FAILED" | "CANCELED" | "TIMED_OUT">;

/** States BullMQ's `getState()` answers, plus "unknown" for a job that does not exist. */
export type JobState =
  | "completed"
  | "failed"
  | "delayed"
  | "active"
  | "waiting"
  | "waiting-children"
  | "prioritized"
  | "unknown";

/** What the run record says beyond the job state. */
export interface StatusHints {
  /** The outcome written when the run ended. */
  outcome?: FinalRunStatus;
  /** Whether the run is parked on at least one wait. */
  parked: boolean;
}

/**
 * Derives a run's status from its BullMQ job state and its record. The recorded outcome says
 * how a finished run ended (FAILED, TIMED_OUT, ...); it does not speak for a job that is live
 * again, as after a retry by hand.
 */
export function deriveRunStatus(state: JobState, hints: StatusHints): RunStatus {
  if (hints.outcome && (state === "failed" || state === "completed" || state === "unknown")) return hints.outcome;
  switch (state) {
    case "active":
      return "EXECUTING";
    case "delayed":
      return hints.parked ? "WAITING" : "DELAYED";
    case "completed":
      return "COMPLETED";
    case "failed":
      return "FAILED";
    case "waiting":
    case "waiting-children":
    case "prioritized":
    case "unknown":
      return "QUEUED";
  }
}

/** Whether a run with this status has ended. */
export function isFinalStatus(status: RunStatus): status is FinalRunStatus {
  return status === "COMPLETED" || status === "FAILED" || status === "CANCELED" || status === "TIMED_OUT";
}
