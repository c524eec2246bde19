/**
 * `task()` and `schemaTask()`: define a task — its id, queue, retries, maxDuration, hooks and
 * `run` function — and get back an object to trigger it with.
 */
import { z } from "zod";
import { TaskPayloadError } from "../errors/task-payload-error.js";
import { checkOptions, issuesOf } from "../engine/check-options.js";
import { resolveRetryOptions, type RetryOptions } from "../engine/retry-policy.js";
import { TASK_DEFINITION, type HasTaskDefinition, type RunParams, type TaskDefinition, type TaskHooks } from "../engine/task-definition.js";
import { registerLocalTask, targetOf } from "../engine/task-registry.js";
import type { BatchHandle, BatchItem, RunHandle, TriggerOptions } from "../engine/trigger.js";
import { onlyRun, trigger, triggerAndWaitFor, triggerAndWaitOne, type BatchRunResults, type TaskRunPromise } from "./triggering.js";
import { ConfigurationError } from "../errors/configuration-error.js";
import { assertValidName } from "../redis/keys.js";
import { queueOptionsSchema, type QueueOptions } from "./queues.js";

/** Options of `task()`. */
export interface TaskOptions<TId extends string, TPayload, TOutput> extends TaskHooks<TPayload, TOutput> {
  /** Unique id of the task: letters, digits and `._-`. */
  id: TId;
  /** The queue to run on: a name, or a queue from `queue()` (with its concurrency limit). Default: a queue named after the task id. */
  queue?: string | QueueOptions;
  /** Retries with exponential backoff. Default `{ maxAttempts: 3, factor: 2, minTimeoutInMs: 1000, maxTimeoutInMs: 10000, randomize: true }`. */
  retry?: RetryOptions;
  /** Most execution time a run may take across its attempts, in seconds (waits do not count); past it the run ends TIMED_OUT. */
  maxDuration?: number;
  /** The task's code. Side effects belong in `step.run`: everything else runs again on each replay. */
  run: (payload: TPayload, params: RunParams) => Promise<TOutput>;
}

/** Options of `schemaTask()`: a task whose payload a zod schema checks. */
export interface SchemaTaskOptions<TId extends string, TSchema extends z.ZodType, TOutput>
  extends TaskOptions<TId, z.output<TSchema>, TOutput> {
  /** Checks the payload when triggered (a bad one throws TaskPayloadError, nothing is enqueued) and again in the worker. */
  schema: TSchema;
}

/** A defined task. */
export interface Task<TId extends string, TInput, TOutput> extends HasTaskDefinition {
  readonly id: TId;
  /**
   * Enqueues a run; callable from any process with a Redis connection.
   *
   * @example const { id } = await sendEmail.trigger({ to: "ada@example.com" }, { tags: ["welcome"] });
   */
  trigger(payload: TInput, options?: TriggerOptions): Promise<RunHandle>;
  /**
   * Enqueues up to 1,000 runs at once; every payload is checked before any is enqueued.
   *
   * @example await sendEmail.batchTrigger(users.map((u) => ({ payload: { to: u.email } })));
   */
  batchTrigger(items: BatchItem<TInput>[]): Promise<BatchHandle>;
  /**
   * Inside a run: triggers a child and parks (no worker slot held) until it ends, whatever queue
   * it runs on. `{ ok: true, output }` or `{ ok: false, error }`; `.unwrap()` gives the output or
   * throws. With an idempotency key that names an existing run, waits on that run.
   *
   * @example const { url } = await renderPage.triggerAndWait({ page }, { idempotencyKey }).unwrap();
   */
  triggerAndWait(payload: TInput, options?: TriggerOptions): TaskRunPromise<TOutput>;
  /**
   * Inside a run: triggers up to 1,000 children and parks once until every one has ended. The
   * results come in the order given, each with its own `ok` — settled is not succeeded.
   *
   * @example const { runs } = await resize.batchTriggerAndWait(images.map((image) => ({ payload: image })));
   */
  batchTriggerAndWait(items: BatchItem<TInput>[]): Promise<BatchRunResults<TOutput>>;
  /** Type-level only: the output of the task's `run`. */
  readonly __output?: TOutput;
}

/** The payload type a task accepts when triggered. */
export type TaskPayload<T> = T extends Task<string, infer TInput, unknown> ? TInput : never;

/** The output type of a task. */
export type TaskOutput<T> = T extends Task<string, unknown, infer TOutput> ? TOutput : never;

const taskOptionsSchema = z.object({
  id: z.string(),
  queue: z.union([z.string(), queueOptionsSchema]).optional(),
  retry: z.record(z.string(), z.unknown()).optional(),
  maxDuration: z.number().positive().finite().optional(),
  run: z.custom<(...args: unknown[]) => unknown>((value) => typeof value === "function", "must be a function"),
  onStart: z.custom((value) => typeof value === "function", "must be a function").optional(),
  onSuccess: z.custom((value) => typeof value === "function", "must be a function").optional(),
  onFailure: z.custom((value) => typeof value === "function", "must be a function").optional(),
});

function defineTask<TId extends string, TInput, TOutput>(
  options: TaskOptions<TId, unknown, TOutput>,
  parsePayload: (payload: unknown) => unknown,
): Task<TId, TInput, TOutput> {
  checkOptions(taskOptionsSchema, options, `options of task ${JSON.stringify(options?.id)}`);
  assertValidName("task id", options.id);
  const queue = typeof options.queue === "string" ? options.queue : options.queue?.name ?? options.id;
  assertValidName("queue name", queue);
  const concurrencyLimit = typeof options.queue === "object" ? options.queue.concurrencyLimit : undefined;
  const definition: TaskDefinition = {
    id: options.id,
    queue,
    concurrencyLimit,
    retry: resolveRetryOptions(options.id, options.retry),
    maxDurationMs: options.maxDuration === undefined ? undefined : options.maxDuration * 1000,
    parsePayload,
    run: options.run,
    ...(options.onStart ? { onStart: options.onStart } : {}),
    ...(options.onSuccess ? { onSuccess: options.onSuccess as TaskDefinition["onSuccess"] } : {}),
    ...(options.onFailure ? { onFailure: options.onFailure } : {}),
  };
  registerLocalTask(definition);
  const target = targetOf(definition);
  return {
    id: options.id,
    [TASK_DEFINITION]: definition,
    trigger: async (payload, triggerOptions) => onlyRun(await trigger(target, [{ payload, ...(triggerOptions ? { options: triggerOptions } : {}) }], false)),
    batchTrigger: async (items) => (await trigger(target, items, true)) as BatchHandle,
    triggerAndWait: (payload, triggerOptions) => triggerAndWaitOne<TOutput>(target, payload, triggerOptions),
    batchTriggerAndWait: (items) => triggerAndWaitFor<TOutput>(target, items, true),
  };
}

/**
 * Defines a task.
 *
 * @example
 * export const sendEmail = task({
 *   id: "send-email",
 *   retry: { maxAttempts: 5 },
 *   run: async (payload: { to: string }, { ctx }) => {
 *     const id = await step.run("send", () => mailer.send(payload.to));
 *     return { id, attempt: ctx.attempt.number };
 *   },
 * });
 */
export function task<TId extends string, TPayload = void, TOutput = unknown>(
  options: TaskOptions<TId, TPayload, TOutput>,
): Task<TId, TPayload, TOutput> {
  return defineTask<TId, TPayload, TOutput>(options as TaskOptions<TId, unknown, TOutput>, (payload) => payload);
}

/**
 * Defines a task whose payload a zod schema checks, at trigger time and in the worker.
 *
 * @example
 * export const exportInvoices = schemaTask({
 *   id: "export-invoices",
 *   schema: z.object({ organizationId: z.string(), totalPages: z.number().int() }),
 *   run: async ({ organizationId, totalPages }) => { ... },
 * });
 */
export function schemaTask<TId extends string, TSchema extends z.ZodType, TOutput = unknown>(
  options: SchemaTaskOptions<TId, TSchema, TOutput>,
): Task<TId, z.input<TSchema>, TOutput> {
  const schema: unknown = options?.schema;
  if (!(schema instanceof z.ZodType)) {
    throw new ConfigurationError(`schemaTask ${JSON.stringify(options?.id)}: schema must be a zod schema.`);
  }
  return defineTask<TId, z.input<TSchema>, TOutput>(options as TaskOptions<TId, unknown, TOutput>, (payload) => {
    const result = (schema as TSchema).safeParse(payload);
    if (!result.success) throw new TaskPayloadError(options.id, issuesOf(result.error));
    return result.data;
  });
}
