/**
 * Triggering: checks every payload and option first (a bad one throws and nothing is
 * written), then writes each run's record and adds its BullMQ job, whose id is the run id.
 */
import type { JobsOptions } from "bullmq";
import { z } from "zod";
import { ConfigurationError } from "../errors/configuration-error.js";
import { TaskPayloadError } from "../errors/task-payload-error.js";
import { assertValidName } from "../redis/keys.js";
import { execOrThrow } from "../redis/transaction.js";
import { isRedisUnavailable } from "../redis/redis-errors.js";
import { RedisUnavailableError } from "../errors/redis-unavailable-error.js";
import { checkOptions, oneOrMany } from "./check-options.js";
import { parseDuration } from "./duration.js";
import { idempotencyKeyHash, replayKeyHash, type CallingRun } from "./idempotency-key.js";
import { createId, createRunId } from "./ids.js";
import { encodePriority } from "./priority.js";
import { releaseTriggerKey, resolveTriggerKeys, type TriggerKey } from "./trigger-idempotency.js";
import { newRecordFields } from "./run-record.js";
import type { Runtime } from "./runtime.js";
import type { TaskTarget } from "./task-registry.js";

/** Options of one trigger. */
export interface TriggerOptions {
  /** Start the run later: a duration such as "10m", or a date. */
  delay?: string | Date;
  /** Up to 10 tags (each at most 128 characters) to find the run by. */
  tags?: string | string[];
  /** Initial metadata of the run: a JSON object. */
  metadata?: Record<string, unknown>;
  /** Run on this queue instead of the task's own. */
  queue?: string;
  /**
   * The same key (for this task, within its TTL) returns the run it already names, `isCached:
   * true`. Inside a run a plain string is scoped to that run; see `idempotencyKeys.create`.
   */
  idempotencyKey?: string;
  /** How long the key names its run, as a duration. Default "30d". */
  idempotencyKeyTTL?: string;
  /**
   * Seconds of head start: the run starts before runs of its queue enqueued less than this many
   * seconds earlier, and after those enqueued more. Default 0; a very large number gives
   * absolute priority.
   */
  priority?: number;
}

/** What a trigger returns. */
export interface RunHandle {
  /** The run id, `run_…`. */
  id: string;
  /** True when an idempotency key matched an existing run and no new run was made. */
  isCached: boolean;
}

/** One run to trigger. */
export interface TriggerRequest {
  target: TaskTarget;
  payload: unknown;
  options?: TriggerOptions | undefined;
}

/** Who triggers: the run making the call, if any (scopes plain idempotency keys), and whether it will wait on the new runs. */
export interface TriggerContext {
  caller?: CallingRun | undefined;
  /** The caller parks on these runs: they wake it when they end. */
  waited?: boolean;
  /** The enqueue time the new runs' priority counts from (a waiting parent's), in ms. Default now. */
  enqueuedAt?: number;
  /**
   * The journal position of a trigger made by the calling run. Items without an idempotency key
   * get one naming it and their index, so a replay after a crash between the trigger and its
   * journal entry gets back the runs it made instead of making them again.
   */
  position?: number;
}

/** How long the key of an in-run trigger item lasts: its replay comes within a lock expiry or a retry. */
const REPLAY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** One entry of a batch trigger. */
export interface BatchItem<TInput> {
  payload: TInput;
  options?: TriggerOptions;
}

/** What a batch trigger returns: one handle per item, in the order given. */
export interface BatchHandle {
  batchId: string;
  runs: RunHandle[];
}

/** The most runs one batch may trigger. */
export const MAX_BATCH_SIZE = 1_000;

/** The schema of trigger options. */
export const triggerOptionsSchema = z
  .object({
    delay: z.union([z.string(), z.date()]).optional(),
    tags: oneOrMany(z.string())
      .pipe(z.array(z.string().min(1).max(128)).max(10))
      .optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    queue: z.string().optional(),
    idempotencyKey: z.string().min(1).optional(),
    idempotencyKeyTTL: z.string().optional(),
    priority: z.number().min(0).finite().optional(),
  })
  .strict();

interface PreparedRun {
  runId: string;
  taskId: string;
  queue: string;
  payload: unknown;
  /** The record's fields, if the run has any at its start (tags, metadata). */
  record: Record<string, string> | undefined;
  jobOptions: JobsOptions;
  key?: TriggerKey;
}

/**
 * The job option that marks a run some run waits on: its executor tells the waiters the moment
 * it ends, with no read on its hot path. BullMQ stores options it does not know as they are.
 */
export const WAITED_OPTION = "durabullWaited";

/** The job option that marks a run whose first execution needs its record (it was triggered with metadata). */
export const READ_RECORD_OPTION = "durabullRecord";

/** The idempotency key of one trigger item: the one given, else the replay key of an in-run trigger. */
function itemKey(taskId: string, options: z.infer<typeof triggerOptionsSchema>, context: TriggerContext, item: number): TriggerKey | undefined {
  if (options.idempotencyKey) {
    return {
      taskId,
      hash: idempotencyKeyHash(options.idempotencyKey, context.caller),
      ttlMs: parseDuration(options.idempotencyKeyTTL ?? "30d", "idempotencyKeyTTL"),
    };
  }
  if (!context.caller || context.position === undefined) return undefined;
  return { taskId, hash: replayKeyHash(context.caller, context.position, item), ttlMs: REPLAY_KEY_TTL_MS };
}

function prepare(request: TriggerRequest, context: TriggerContext, now: number, item: number): PreparedRun {
  const { target } = request;
  const options =
    request.options === undefined ? {} : checkOptions(triggerOptionsSchema, request.options, `trigger options for task "${target.taskId}"`);
  const queue = options.queue ?? target.queue;
  assertValidName("queue name", queue);
  const payload = target.parsePayload ? target.parsePayload(request.payload) : request.payload;
  assertSerialisable(target.taskId, payload, "payload");
  if (options.metadata) assertSerialisable(target.taskId, options.metadata, "metadata");
  const runId = createRunId(queue, now);
  const delayMs = delayOf(options.delay, now);
  const key = itemKey(target.taskId, options, context, item);
  return {
    runId,
    taskId: target.taskId,
    queue,
    payload,
    record: newRecordFields(options.tags ?? [], options.metadata),
    jobOptions: {
      jobId: runId,
      // Retries are durabull's (the run record counts attempts); left unset, BullMQ would store
      // "attempts":0 and the options JSON would outgrow Redis's compact hash encoding.
      attempts: undefined,
      priority: encodePriority(context.enqueuedAt ?? now, options.priority ?? 0, now),
      ...(delayMs > 0 ? { delay: delayMs } : {}),
      ...(context.waited ? { [WAITED_OPTION]: 1 } : {}),
      ...(options.metadata ? { [READ_RECORD_OPTION]: 1 } : {}),
    } as JobsOptions,
    ...(key ? { key } : {}),
  };
}

function delayOf(delay: string | Date | undefined, now: number): number {
  if (delay === undefined) return 0;
  if (delay instanceof Date) return Math.max(0, delay.getTime() - now);
  return parseDuration(delay, "delay");
}

function assertSerialisable(taskId: string, value: unknown, what: string): void {
  try {
    JSON.stringify(value);
  } catch (error) {
    throw new TaskPayloadError(
      taskId,
      [{ path: [], message: `${what} is not JSON-serialisable (${(error as Error).message})` }],
      { cause: error },
    );
  }
}

/**
 * Triggers runs. Every request is checked before anything is written. Idempotency keys are
 * resolved next: a key that names a live run gives that run back (`isCached`). The new runs'
 * records (one pipeline) and jobs (one `addBulk` per queue) are written concurrently — those
 * whose keys other triggers hold after those keys are settled (`resolveTriggerKeys`); when any
 * write fails, the new runs' records, jobs and key claims are removed before the error is
 * thrown, so a failed trigger leaves no run behind. When Redis does not answer, the error is a
 * RedisUnavailableError; if Redis went away after a write reached it, that write may remain
 * (Redis cannot say), which an idempotency key makes harmless.
 */
export async function triggerRuns(runtime: Runtime, requests: TriggerRequest[], context: TriggerContext = {}): Promise<RunHandle[]> {
  const now = Date.now();
  const prepared = requests.map((request, item) => prepare(request, context, now, item));
  const what = `Triggering ${prepared.length === 1 ? "a run" : `${prepared.length} runs`} of task "${prepared[0]!.taskId}" failed`;
  runtime.assertRedisReachable(what);
  try {
    return await writeRuns(runtime, prepared);
  } catch (error) {
    if (!isRedisUnavailable(error) || error instanceof RedisUnavailableError) throw error;
    throw new RedisUnavailableError(what, error);
  }
}

/**
 * Resolves the runs' idempotency keys and writes the new runs; when a write fails, removes every
 * run this trigger wrote or began to write.
 */
async function writeRuns(runtime: Runtime, prepared: PreparedRun[]): Promise<RunHandle[]> {
  const attempted: PreparedRun[] = [];
  try {
    const resolutions = await resolveTriggerKeys(runtime, prepared, (fresh) => {
      attempted.push(...fresh);
      return writeNewRuns(runtime, fresh);
    });
    return prepared.map((run, i) => {
      const resolution = resolutions[i]!;
      return resolution.kind === "cached" ? { id: resolution.runId, isCached: true } : { id: run.runId, isCached: false };
    });
  } catch (error) {
    if (attempted.length > 0) await removeRuns(runtime, attempted);
    throw error;
  }
}

/** Writes new runs' records (one pipeline) and jobs (one `addBulk` per queue), concurrently. */
async function writeNewRuns(runtime: Runtime, fresh: PreparedRun[]): Promise<void> {
  if (fresh.length === 0) return;
  const byQueue = new Map<string, PreparedRun[]>();
  for (const run of fresh) {
    const runs = byQueue.get(run.queue);
    if (runs) runs.push(run);
    else byQueue.set(run.queue, [run]);
  }
  const { client, keys } = runtime;
  const records = client.pipeline().sadd(keys.queueRegistry(), ...byQueue.keys());
  for (const run of fresh) {
    if (run.record) records.hset(keys.run(run.runId), run.record);
    if (run.jobOptions.delay) records.sadd(keys.delays(run.queue), run.runId);
  }
  const writes = await Promise.allSettled([
    execOrThrow(records),
    ...[...byQueue].map(([queue, runs]) =>
      runtime.queue(queue).addBulk(runs.map((run) => ({ name: run.taskId, data: run.payload, opts: run.jobOptions }))),
    ),
  ]);
  const failure = writes.find((write): write is PromiseRejectedResult => write.status === "rejected");
  if (failure) throw failure.reason;
}

/** Removes the records, jobs and key claims of runs whose trigger failed (best effort: Redis may be away). */
async function removeRuns(runtime: Runtime, runs: PreparedRun[]): Promise<void> {
  await Promise.allSettled([
    runtime.client.del(...runs.map((run) => runtime.keys.run(run.runId))),
    ...runs.map((run) => runtime.queue(run.queue).remove(run.runId)),
    ...runs.flatMap((run) => (run.key ? [releaseTriggerKey(runtime, run.key, run.runId)] : [])),
  ]);
}

/** Triggers up to MAX_BATCH_SIZE runs of one task; a bad item throws before any run is made. */
export async function triggerBatch(runtime: Runtime, target: TaskTarget, items: BatchItem<unknown>[], context: TriggerContext = {}): Promise<BatchHandle> {
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_BATCH_SIZE) {
    throw new ConfigurationError(
      `batchTrigger takes 1 to ${MAX_BATCH_SIZE} items; got ${Array.isArray(items) ? items.length : typeof items}.`,
    );
  }
  const runs = await triggerRuns(runtime, items.map((item) => ({ target, payload: item?.payload, options: item?.options })), context);
  return { batchId: createId("batch"), runs };
}
