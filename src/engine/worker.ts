/**
 * `createWorker`: runs the executor in one BullMQ Worker per queue of the given tasks. At
 * start it refuses a Redis that can evict keys and publishes its tasks so other processes can
 * trigger them by id, readies its queues (concurrency limits, a pause of every queue, the
 * priority grid), runs the background sweeps (finished runs into retention; waitpoint
 * wake-ups, timeouts and retention; priority shifts), and listens for announcements to runs it
 * executes (cancellations, values sent to their input streams). `close()` stops taking runs
 * and lets executing ones finish or park within a grace period; runs still executing after it
 * are left to BullMQ's stalled-job recovery, which hands them to another worker to replay.
 */
import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { ConfigurationError } from "../errors/configuration-error.js";
import { closeConnection, describeConnection } from "../redis/connection.js";
import { isRedisUnavailable } from "../redis/redis-errors.js";
import { RedisUnavailableError } from "../errors/redis-unavailable-error.js";
import { assertNoEviction } from "../redis/eviction-policy.js";
import { checkOptions } from "./check-options.js";
import { Executor } from "./executor.js";
import { PriorityShifter } from "./priority-shifter.js";
import { allQueuesPaused } from "./queues.js";
import { RetentionSweeper } from "./retention-sweeper.js";
import { WaitpointSweeper } from "./waitpoint-sweeper.js";
import { RunStore } from "./run-store.js";
import { runtime as currentRuntime, type Runtime } from "./runtime.js";
import { isTask, TASK_DEFINITION, type HasTaskDefinition, type TaskDefinition } from "./task-definition.js";
import { publishTasks } from "./task-registry.js";

/** Options of `createWorker`. */
export interface WorkerOptions {
  /** The tasks this worker runs: an array or an object of task objects (a module's exports). */
  tasks: HasTaskDefinition[] | Record<string, unknown>;
  /** Runs executing at once, per queue. Parked runs do not count. Default 10. */
  concurrency?: number;
  /**
   * How long a worker's claim on an executing run lasts without renewal, in ms; a worker that
   * dies loses its runs to another worker after about this long plus `stalledInterval`.
   * Default 30000.
   */
  lockDuration?: number;
  /** How often to look for runs whose worker died, in ms. Default 30000. */
  stalledInterval?: number;
  /** How many worker deaths a run survives before it fails as stalled. Default 10. */
  maxStalledCount?: number;
}

/** Options of `DurabullWorker.close`. */
export interface CloseOptions {
  /** How long executing runs get to finish or park, in ms. Default 30000. */
  gracePeriodMs?: number;
}

/** A running worker. */
export interface DurabullWorker {
  /** The queues it takes runs from. */
  readonly queues: string[];
  /** Stops taking runs, waits up to the grace period for executing ones, then closes. */
  close(options?: CloseOptions): Promise<void>;
}

const optionsSchema = z.object({
  tasks: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]),
  concurrency: z.number().int().min(1).max(10_000).optional(),
  lockDuration: z.number().int().min(100).optional(),
  stalledInterval: z.number().int().min(100).optional(),
  maxStalledCount: z.number().int().min(0).optional(),
});

function definitionsOf(tasks: WorkerOptions["tasks"]): TaskDefinition[] {
  const values: unknown[] = Array.isArray(tasks) ? tasks : Object.values(tasks);
  const definitions = new Map<string, TaskDefinition>();
  for (const value of values) {
    if (!isTask(value)) {
      if (Array.isArray(tasks)) throw new ConfigurationError("createWorker: every entry of tasks must be a task made by task() or schemaTask().");
      continue;
    }
    definitions.set(value[TASK_DEFINITION].id, value[TASK_DEFINITION]);
  }
  if (definitions.size === 0) throw new ConfigurationError("createWorker: tasks holds no task made by task() or schemaTask().");
  return [...definitions.values()];
}

/**
 * Starts workers for the queues of `tasks`.
 *
 * @example
 * const worker = await createWorker({ tasks: [sendEmail, exportInvoices], concurrency: 20 });
 * process.on("SIGTERM", () => worker.close());
 */
export async function createWorker(options: WorkerOptions): Promise<DurabullWorker> {
  const checked = checkOptions(optionsSchema, options, "createWorker options");
  const definitions = definitionsOf(options.tasks);
  const limits = concurrencyLimits(definitions);
  const queues = [...limits.keys()];
  const runtime = currentRuntime();
  try {
    await assertNoEviction(runtime.client);
    await publishTasks(runtime, definitions);
    await prepareQueues(runtime, limits);
  } catch (error) {
    if (!isRedisUnavailable(error)) throw error;
    throw new RedisUnavailableError(`The worker could not start with Redis at ${describeConnection(runtime.client)}`, error);
  }
  const executor = new Executor(runtime, new RunStore(runtime), new Map(definitions.map((definition) => [definition.id, definition])));
  const retentionSeconds = Math.ceil(runtime.settings.retentionMs / 1000);
  const started = queues.map((queue) => {
    const connection = runtime.newWorkerConnection();
    const worker = new Worker(queue, (job, token) => executor.process(job, token), {
      connection,
      prefix: runtime.keys.bullPrefix(queue),
      concurrency: checked.concurrency ?? 10,
      lockDuration: checked.lockDuration ?? 30_000,
      stalledInterval: checked.stalledInterval ?? 30_000,
      maxStalledCount: checked.maxStalledCount ?? 10,
      removeOnComplete: { age: retentionSeconds },
      removeOnFail: { age: retentionSeconds },
    });
    worker.on("error", (error) => runtime.settings.logger.error(`worker of queue "${queue}": ${error.message}`));
    const sweeper = new RetentionSweeper(runtime, queue);
    sweeper.start();
    const shifter = new PriorityShifter(runtime, queue);
    shifter.start();
    return { worker, connection, sweeper, shifter };
  });
  const waitpointSweeper = new WaitpointSweeper(runtime);
  waitpointSweeper.start();
  const announcements = runtime.newWorkerConnection();
  announcements.on("message", (channel: string, message: string) => {
    if (channel === runtime.keys.cancelChannel()) return executor.cancel(message);
    const [runId, streamId] = message.split(" ") as [string, string];
    executor.streamSent(runId, streamId);
  });
  await announcements.subscribe(runtime.keys.cancelChannel(), runtime.keys.streamSendChannel());
  return {
    queues,
    close: async (closeOptions = {}) => {
      await waitpointSweeper.stop();
      await closeWorkers(started, executor, closeOptions.gracePeriodMs ?? 30_000);
      await closeConnection(announcements);
    },
  };
}

/** Each queue of the tasks, with the concurrency limit its tasks give; two tasks of one queue may not give different ones. */
function concurrencyLimits(definitions: TaskDefinition[]): Map<string, number | undefined> {
  const limits = new Map<string, number | undefined>();
  for (const { queue, concurrencyLimit } of definitions) {
    const known = limits.get(queue);
    if (known !== undefined && concurrencyLimit !== undefined && known !== concurrencyLimit) {
      throw new ConfigurationError(`Tasks of queue "${queue}" give different concurrency limits: ${known}, ${concurrencyLimit}.`);
    }
    limits.set(queue, known ?? concurrencyLimit);
  }
  return limits;
}

/**
 * Readies the queues before any run is taken: sets the concurrency limits the tasks give, or
 * removes a limit no task gives any more (every worker of a queue knows all of its tasks), pauses
 * them if every queue is paused, and moves their priorities onto the current grid.
 */
async function prepareQueues(runtime: Runtime, limits: Map<string, number | undefined>): Promise<void> {
  const paused = await allQueuesPaused(runtime);
  await Promise.all(
    [...limits].map(async ([queue, limit]) => {
      if (limit === undefined) await runtime.queue(queue).removeGlobalConcurrency();
      else await runtime.queue(queue).setGlobalConcurrency(limit);
      if (paused) await runtime.queue(queue).pause();
      await new PriorityShifter(runtime, queue).shift();
    }),
  );
}

async function closeWorkers(
  started: { worker: Worker; connection: Redis; sweeper: RetentionSweeper; shifter: PriorityShifter }[],
  executor: Executor,
  gracePeriodMs: number,
): Promise<void> {
  await Promise.all(started.flatMap(({ sweeper, shifter }) => [sweeper.stop(), shifter.stop()]));
  const graceful = Promise.all(started.map(({ worker }) => worker.close()));
  const timer = new AbortController();
  const inTime = await Promise.race([
    graceful.then(() => true),
    sleep(gracePeriodMs, false, { signal: timer.signal }).catch(() => false),
  ]);
  timer.abort();
  if (!inTime) {
    executor.abandonAll();
    await graceful;
  }
  await Promise.all(started.map(({ connection }) => closeConnection(connection)));
}
