/**
 * What the engine knows of a task: its id and queue, retry policy, maxDuration, how to check
 * a payload, the run function and the hooks. `task()` and `schemaTask()` build one and hide
 * it on the task object under a symbol.
 */
import type { RetryOptions } from "./retry-policy.js";
import type { TaskContext } from "./run-context.js";

/** The second argument of a task's `run`. */
export interface RunParams {
  ctx: TaskContext;
  /** Aborts when the run is canceled or passes its maxDuration; pass it on to fetch and SDKs. */
  signal: AbortSignal;
}

/** Lifecycle hooks of a task. Errors thrown by onSuccess and onFailure are logged, not fatal. */
export interface TaskHooks<TPayload, TOutput> {
  /** Once per run, before the first attempt's `run`. Throwing fails that attempt. */
  onStart?: (params: { payload: TPayload; ctx: TaskContext }) => unknown;
  /** After `run` returned, before the run is marked COMPLETED. */
  onSuccess?: (params: { payload: TPayload; output: TOutput; ctx: TaskContext }) => unknown;
  /** When the run has failed for good (no retries left, aborted, or timed out). */
  onFailure?: (params: { payload: TPayload; error: unknown; ctx: TaskContext }) => unknown;
}

/** The engine's view of a task. */
export interface TaskDefinition extends TaskHooks<unknown, unknown> {
  id: string;
  queue: string;
  /** The queue's limit on runs executing at once across all workers, if the task sets one. */
  concurrencyLimit: number | undefined;
  retry: Required<RetryOptions>;
  /** Execution time allowed across all attempts, in ms; undefined for no limit. */
  maxDurationMs: number | undefined;
  /** Checks a payload; returns the value `run` receives or throws TaskPayloadError. */
  parsePayload: (payload: unknown) => unknown;
  run: (payload: unknown, params: RunParams) => Promise<unknown>;
}

/** Where a task object keeps its definition. */
export const TASK_DEFINITION: unique symbol = Symbol.for("durabull.task-definition");

/** Anything carrying a task definition (every object `task()` returns). */
export interface HasTaskDefinition {
  readonly [TASK_DEFINITION]: TaskDefinition;
}

/** Whether `value` is a task made by `task()` or `schemaTask()`. */
export function isTask(value: unknown): value is HasTaskDefinition {
  return typeof value === "object" && value !== null && TASK_DEFINITION in value;
}
