/**
 * The replay executor: the BullMQ processor of every durabull queue. Each time a run's job is
 * taken it replays the task from the top against the journal; when the code needs a wait that
 * has not ended it parks the job in BullMQ's delayed set (no timer in memory) and frees the
 * worker. A failure is retried with backoff, as a delayed job too, until attempts run out.
 *
 * A run that completes writes nothing beyond BullMQ's own completion: its status, times and
 * output are read from the job, and the retention sweeper expires its record and journal.
 */
import { DelayedError, type Job } from "bullmq";
import { AbortTaskRunError } from "../errors/abort-task-run-error.js";
import { MaxDurationError } from "../errors/max-duration-error.js";
import { NestedDurableCallError } from "../errors/nested-durable-call-error.js";
import { NonDeterminismError } from "../errors/non-determinism-error.js";
import { RunCanceledError } from "../errors/run-canceled-error.js";
import { RunNotFoundError } from "../errors/run-not-found-error.js";
import { TaskPayloadError } from "../errors/task-payload-error.js";
import { UnknownTaskError } from "../errors/unknown-task-error.js";
import { WaitpointNotFoundError } from "../errors/waitpoint-not-found-error.js";
import { toJsonValue } from "./json-value.js";
import { Journal } from "./journal.js";
import { retryDelayMs } from "./retry-policy.js";
import { PARK_HORIZON_MS, RunContext, type AttemptResult, type TaskContext } from "./run-context.js";
import type { RunRecord, WaitingOn } from "./run-record.js";
import { READ_RECORD_OPTION, WAITED_OPTION } from "./trigger.js";
import { AttemptParams } from "./attempt-params.js";
import { RunMetadata } from "./run-metadata.js";
import { RunStreams } from "./run-streams.js";
import { endedRunResult, finishRun, waitOnRun } from "./child-runs.js";
import type { RunStore } from "./run-store.js";
import type { Runtime } from "./runtime.js";
import { serializeError } from "./serialized-error.js";
import type { TaskDefinition } from "./task-definition.js";
import { RunWaitpoints } from "./run-waitpoints.js";
import { promoteRun, settleRunWait } from "./waking.js";
import { failureJson, WaitpointStore } from "./waitpoint-store.js";
import type { Waiter } from "./waiter.js";

/** What one attempt knows while it winds up. */
interface Attempt {
  job: Job;
  token: string | undefined;
  task: TaskDefinition | undefined;
  payload: unknown;
  ctx: TaskContext;
  record: RunRecord;
  startedAt: number;
}

/** How soon a run interrupted by Redis not answering replays. */
const INTERRUPTION_DELAY_MS = 1_000;

/** Errors that must fail a run at once rather than be retried. */
function isFinal(error: unknown): boolean {
  return (
    error instanceof AbortTaskRunError ||
    error instanceof NonDeterminismError ||
    error instanceof NestedDurableCallError ||
    error instanceof TaskPayloadError
  );
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(serializeError(error).message);
}

/** Runs attempts of the tasks it knows. */
export class Executor {
  /**
   * Executing attempts, by run id. A run can execute twice here at once: when its worker loses
   * the job's lock (say, its event loop was starved), BullMQ's stalled check hands the job out
   * again, perhaps to this same worker, while the first attempt still runs.
   */
  private readonly contexts = new Map<string, Set<RunContext>>();
  private readonly waitpoints: WaitpointStore;
  /** Errors the executor threw on purpose after recording a run's failure. */
  private readonly recorded = new WeakSet<Error>();

  constructor(
    private readonly runtime: Runtime,
    private readonly store: RunStore,
    private readonly tasks: ReadonlyMap<string, TaskDefinition>,
  ) {
    this.waitpoints = new WaitpointStore(runtime);
  }

  /**
   * The BullMQ processor. When durabull's own bookkeeping fails (Redis away), the job is left
   * active: its lock lapses and BullMQ's stalled check hands it to a worker again, so a Redis
   * blip never fails a run.
   */
  async process(job: Job, token: string | undefined): Promise<unknown> {
    try {
      return await this.execute(job, token);
    } catch (error) {
      if (error instanceof DelayedError || (error instanceof Error && this.recorded.has(error))) throw error;
      this.runtime.settings.logger.error(`run ${job.id}: ${asError(error).message}; left for stalled-job recovery`);
      throw new DelayedError();
    }
  }

  /**
   * Gives up on every executing attempt (a shutdown whose grace period ran out): their
   * durable calls never settle from now on, and their jobs are left active for BullMQ's
   * stalled-job recovery to hand to another worker.
   */
  abandonAll(): void {
    for (const contexts of this.contexts.values()) for (const context of contexts) context.end({ kind: "abandoned" });
  }

  /** A value was buffered for input stream `streamId` of run `runId`: its live listeners, if it executes here, take it. */
  streamSent(runId: string, streamId: string): void {
    for (const context of this.contexts.get(runId) ?? []) context.streamSent(streamId);
  }

  /** Cancels run `runId` if this worker is executing it: its signal aborts and it ends CANCELED. */
  cancel(runId: string): void {
    for (const context of this.contexts.get(runId) ?? []) {
      context.abort(new RunCanceledError(runId));
      context.end({ kind: "canceled" });
    }
  }

  /** Runs `context` (an attempt of run `runId`) as one of the executing attempts until its result is in. */
  private async track(runId: string, context: RunContext, start: () => NodeJS.Timeout | undefined): Promise<AttemptResult> {
    let contexts = this.contexts.get(runId);
    if (!contexts) this.contexts.set(runId, (contexts = new Set()));
    contexts.add(context);
    const timer = start();
    const result = await context.result;
    clearTimeout(timer);
    contexts.delete(context);
    if (contexts.size === 0) this.contexts.delete(runId);
    return result;
  }

  private async execute(job: Job, token: string | undefined): Promise<unknown> {
    const runId = job.id as string;
    const startedAt = Date.now();
    const fresh = job.attemptsStarted === 1 && !(job.opts as Record<string, unknown>)[READ_RECORD_OPTION];
    const begun = fresh ? this.store.firstStart(runId, job.queueName, startedAt) : await this.store.begin(runId, job.queueName, startedAt);
    const { record } = begun;
    if (begun.firstStart && job.delay > 0) await this.store.delayEnded(record);
    const ctx: TaskContext = {
      run: { id: runId, createdAt: new Date(job.timestamp) },
      attempt: { number: record.attempt, startedAt: new Date(startedAt) },
      task: { id: job.name },
      queue: { name: job.queueName },
    };
    const task = this.tasks.get(job.name);
    const attempt: Attempt = { job, token, task, payload: job.data, ctx, record, startedAt };
    if (!task) return this.fail(attempt, "FAILED", new UnknownTaskError(job.name, `in the worker of queue "${job.queueName}"`));
    try {
      attempt.payload = task.parsePayload(job.data);
    } catch (error) {
      return this.fail(attempt, "FAILED", error);
    }
    if (record.cancelRequested) return this.fail(attempt, "CANCELED", new RunCanceledError(runId));
    const journal = new Journal(begun.journal, (index, encoded) => this.store.writeJournal(runId, index, encoded));
    const context: RunContext = new RunContext(
      ctx,
      journal,
      new RunWaitpoints(this.runtime, { runId, attempt: record.attempt }, job.queueName),
      begun.waitResults,
      new RunMetadata(this.runtime, record, record.initialMetadata, () => journal.replaying),
      () => new RunStreams(this.runtime, runId, (error) => context.end({ kind: "failed", error })),
    );
    const result = await this.track(runId, context, () => this.start(task, attempt, context, begun.firstStart));
    if (result.kind !== "abandoned" && context.metadata.unsaved) await context.metadata.flush();
    switch (result.kind) {
      case "completed":
        return this.complete(task, attempt, result.output);
      case "parked":
        return this.park(attempt, result.waits);
      case "failed":
        return this.retryOrFail(task, attempt, result.error);
      case "timed-out":
        return this.fail(attempt, "TIMED_OUT", new MaxDurationError((task.maxDurationMs ?? 0) / 1000));
      case "canceled":
        return this.fail(attempt, "CANCELED", new RunCanceledError(runId));
      case "abandoned":
        throw new DelayedError();
      case "interrupted":
        return this.interrupted(attempt, result.error);
    }
  }

  /**
   * Redis did not answer a durable call: the run goes back to the delayed set to replay in a
   * second, on the same attempt. If Redis is still away this fails too, and the job is left for
   * stalled-job recovery (`process`). Either way the run resumes from its journal.
   */
  private async interrupted(attempt: Attempt, error: unknown): Promise<never> {
    const { record } = attempt;
    this.runtime.settings.logger.warn(`run ${record.id}: Redis did not answer a durable call (${asError(error).message}); replaying it shortly`);
    await this.store.retry(record, record.attempt, serializeError(error), this.executionMs(attempt));
    await attempt.job.moveToDelayed(Date.now() + INTERRUPTION_DELAY_MS, attempt.token);
    throw new DelayedError();
  }

  /** Starts the task's code in `context`, and the maxDuration timer if the task has one. */
  private start(task: TaskDefinition, attempt: Attempt, context: RunContext, firstStart: boolean): NodeJS.Timeout | undefined {
    const { payload, ctx } = attempt;
    const params = new AttemptParams(ctx, context);
    const { onStart } = task;
    context.start(
      firstStart && onStart
        ? async () => {
            await onStart({ payload, ctx });
            return task.run(payload, params);
          }
        : () => task.run(payload, params),
    );
    if (task.maxDurationMs === undefined) return undefined;
    const maxDurationMs = task.maxDurationMs;
    return setTimeout(() => {
      context.abort(new MaxDurationError(maxDurationMs / 1000));
      context.end({ kind: "timed-out" });
    }, Math.max(0, maxDurationMs - attempt.record.executionMs));
  }

  private executionMs(attempt: Attempt): number {
    return attempt.record.executionMs + (Date.now() - attempt.startedAt);
  }

  /** The output as stored (JSON), after the onSuccess hook; a value JSON cannot hold fails the attempt. */
  private complete(task: TaskDefinition, attempt: Attempt, output: unknown): unknown {
    let stored: unknown;
    try {
      stored = toJsonValue(output);
    } catch (error) {
      return this.retryOrFail(task, attempt, new TypeError(`run returned a value that is not JSON-serialisable (${asError(error).message})`));
    }
    const { onSuccess } = task;
    if (!onSuccess && !this.hasWaiters(attempt)) return stored;
    return this.finishCompleted(attempt, stored, onSuccess);
  }

  private async finishCompleted(attempt: Attempt, output: unknown, onSuccess: TaskDefinition["onSuccess"]): Promise<unknown> {
    if (onSuccess) await this.hook("onSuccess", attempt, () => onSuccess({ payload: attempt.payload, output, ctx: attempt.ctx }));
    if (this.hasWaiters(attempt)) await finishRun(this.runtime, attempt.record.id, { ok: true, output });
    return output;
  }

  /** Whether runs wait on this one: it was triggered to be waited on, or its record lists waiters. */
  private hasWaiters(attempt: Attempt): boolean {
    return Boolean((attempt.job.opts as Record<string, unknown>)[WAITED_OPTION]) || attempt.record.waiters.length > 0;
  }

  /**
   * Parks the run on `waits`: marks its waitpoints pending, registers it with each token (a
   * token that settled meanwhile settles the run's wait at once), moves the job to the delayed
   * set until the latest deadline, then looks again: if every waitpoint settled in between,
   * nobody else will promote the job, so the run promotes itself. No completion is lost.
   *
   * A run that finds nothing left to wait for before it moves — every result was in, or its own
   * registrations recorded the last ones — is parked due now instead: no waitpoint's wake-up
   * will come for it, so were its worker to die before looking again, BullMQ itself still
   * promotes the job rather than holding it until the deadline.
   */
  private async park(attempt: Attempt, waits: WaitingOn[]): Promise<never> {
    const { record } = attempt;
    const latest = Math.max(...waits.map((wait) => wait.until));
    const pending = await this.store.park(record, waits, this.executionMs(attempt));
    if (pending < 0) return this.fail(attempt, "CANCELED", new RunCanceledError(record.id));
    const waiter = { runId: record.id, queue: record.queue, alone: waits.length === 1 };
    const left = pending > 0 ? Math.min(...(await Promise.all(waits.map((wait) => this.register(waiter, wait))))) : 0;
    const onWaitpoints = waits.some((wait) => wait.kind !== "duration");
    const until = onWaitpoints && left <= 0 ? Date.now() : Math.min(latest, Date.now() + PARK_HORIZON_MS);
    await attempt.job.moveToDelayed(until, attempt.token);
    if (onWaitpoints && (await this.store.pendingWaits(record.id)) <= 0) {
      await promoteRun(this.runtime, record.queue, record.id);
    }
    throw new DelayedError();
  }

  /**
   * Registers the run as a waiter on a token or a child run; one that ended meanwhile (or was
   * never there) settles the run's wait at once. Answers how many waits the park still needs
   * once it has recorded such a result, and Infinity when it recorded none.
   */
  private async register(waiter: Waiter, wait: WaitingOn): Promise<number> {
    if (wait.kind === "duration") return Infinity;
    let resultJson: string | undefined;
    if (wait.kind === "token") {
      const state = await this.waitpoints.settle(wait.id, "wait", { waiter });
      resultJson = state ? state.resultJson : failureJson(new WaitpointNotFoundError(wait.id));
    } else {
      const registered = await waitOnRun(this.runtime, waiter, wait.id, wait.queue);
      if (registered.state === "missing") resultJson = failureJson(new RunNotFoundError(wait.id));
      else if (registered.state === "done") resultJson = registered.resultJson;
      else {
        const ended = await endedRunResult(this.runtime, wait.id);
        resultJson = ended && JSON.stringify(ended);
      }
    }
    return resultJson ? (await settleRunWait(this.runtime, waiter, wait.id, resultJson)).parkPending : Infinity;
  }

  private async retryOrFail(task: TaskDefinition, attempt: Attempt, error: unknown): Promise<never> {
    const number = attempt.record.attempt;
    if (isFinal(error) || number >= task.retry.maxAttempts) return this.fail(attempt, "FAILED", error);
    await this.store.retry(attempt.record, number + 1, serializeError(error), this.executionMs(attempt));
    await attempt.job.moveToDelayed(Date.now() + retryDelayMs(task.retry, number), attempt.token);
    throw new DelayedError();
  }

  private async fail(attempt: Attempt, outcome: "FAILED" | "TIMED_OUT" | "CANCELED", error: unknown): Promise<never> {
    const onFailure = attempt.task?.onFailure;
    if (onFailure && outcome !== "CANCELED") await this.hook("onFailure", attempt, () => onFailure({ payload: attempt.payload, error, ctx: attempt.ctx }));
    await this.store.fail(attempt.record, outcome, this.executionMs(attempt), serializeError(error));
    if (this.hasWaiters(attempt)) await finishRun(this.runtime, attempt.record.id, { ok: false, error: serializeError(error) });
    const thrown = asError(error);
    this.recorded.add(thrown);
    throw thrown;
  }

  private async hook(name: string, attempt: Attempt, fn: () => unknown): Promise<void> {
    try {
      await fn();
    } catch (error) {
      this.runtime.settings.logger.error(`run ${attempt.ctx.run.id}: ${name} hook threw: ${asError(error).message}`);
    }
  }
}
