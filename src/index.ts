/**
 * durabull's public API. Every export is listed by name; nothing else is public.
 */
export { configure, disconnect } from "./engine/runtime.js";
export type { DurabullOptions } from "./config/settings.js";
export type { Logger } from "./config/logger.js";
export type { ConnectionInput } from "./redis/connection.js";

export { task, schemaTask } from "./sdk/task.js";
export type { Task, TaskOptions, SchemaTaskOptions, TaskPayload, TaskOutput } from "./sdk/task.js";
export { queue, queues } from "./sdk/queues.js";
export type { QueueOptions } from "./sdk/queues.js";
export type { QueueDetails, QueueCounts } from "./engine/queues.js";
export type { RunParams, TaskHooks } from "./engine/task-definition.js";
export type { TaskContext } from "./engine/run-context.js";
export type { RetryOptions } from "./engine/retry-policy.js";
export type { TriggerOptions, RunHandle, BatchItem, BatchHandle } from "./engine/trigger.js";
export type { TaskRunResult, TaskRunOutcome, TaskRunPromise, BatchRunResults } from "./sdk/triggering.js";
export type { DurationObject, DurationString } from "./engine/duration.js";

export { step } from "./sdk/step.js";
export { metadata } from "./sdk/metadata.js";
export { wait } from "./sdk/wait.js";
export type { WaitUntilOptions, WaitIdempotencyOptions, WaitpointResult, WaitpointOutcome, WaitpointPromise, ListTokensOptions } from "./sdk/wait.js";
export type { CreateTokenOptions } from "./engine/token-options.js";
export type { WaitpointToken, TokenDetails, CompletionResult } from "./engine/tokens.js";
export type { TokenStatus } from "./engine/waitpoint-store.js";
export { streams } from "./sdk/streams.js";
export type { InputStream, InputStreamWaitOptions } from "./sdk/streams.js";
export type { InputStreamSubscription, OnceOptions } from "./engine/run-streams.js";
export { idempotencyKeys } from "./sdk/idempotency-keys.js";
export type { IdempotencyKeyScope } from "./engine/idempotency-key.js";
export { runs } from "./sdk/runs.js";
export type { ListRunsOptions } from "./sdk/runs.js";
export type { RunDetails, RunWaitingOn } from "./engine/run-reader.js";
export type { CancelResult } from "./engine/cancel.js";
export type { RunStatus } from "./engine/run-status.js";
export type { SerializedError } from "./engine/serialized-error.js";
export { tasks } from "./sdk/tasks.js";

export { createWorker } from "./engine/worker.js";
export { createApp } from "./http/create-app.js";
export type { AppOptions } from "./http/create-app.js";
export type { WorkerOptions, DurabullWorker, CloseOptions } from "./engine/worker.js";

export { DurabullError } from "./errors/durabull-error.js";
export { AbortTaskRunError } from "./errors/abort-task-run-error.js";
export { ConfigurationError } from "./errors/configuration-error.js";
export { EvictionPolicyError } from "./errors/eviction-policy-error.js";
export { MaxDurationError } from "./errors/max-duration-error.js";
export { NestedDurableCallError } from "./errors/nested-durable-call-error.js";
export { NonDeterminismError } from "./errors/non-determinism-error.js";
export { OutsideRunError } from "./errors/outside-run-error.js";
export { RunNotFoundError } from "./errors/run-not-found-error.js";
export { RedisUnavailableError } from "./errors/redis-unavailable-error.js";
export { QueueNotFoundError } from "./errors/queue-not-found-error.js";
export { TaskPayloadError } from "./errors/task-payload-error.js";
export { UnknownTaskError } from "./errors/unknown-task-error.js";
export { WaitpointTimeoutError } from "./errors/waitpoint-timeout-error.js";
export { WaitpointNotFoundError } from "./errors/waitpoint-not-found-error.js";
export { InputStreamFullError } from "./errors/input-stream-full-error.js";
export { InputStreamTimeoutError } from "./errors/input-stream-timeout-error.js";
export { InputStreamValueTooLargeError } from "./errors/input-stream-value-too-large-error.js";
export { RunFinishedError } from "./errors/run-finished-error.js";
export { RunCanceledError } from "./errors/run-canceled-error.js";
export { RunFailedError } from "./errors/run-failed-error.js";
export type { PayloadIssue } from "./errors/task-payload-error.js";
export type { DurableCallMismatch } from "./errors/non-determinism-error.js";
