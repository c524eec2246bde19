/**
 * The context of one executing attempt, found by durable calls through a PromiseContext: the
 * task's code and every promise continuation it starts carry it.
 * It replays journaled calls, journals new ones, and decides when the attempt ends: the task
 * returns or throws, the run parks (every branch of the code is blocked on a wait that has
 * not ended and no durable call is in flight, so `Promise.all` over several waits parks once),
 * the run passes its maxDuration, or the worker abandons it on shutdown. The first of these wins.
 */
import { NestedDurableCallError } from "../errors/nested-durable-call-error.js";
import { OutsideRunError } from "../errors/outside-run-error.js";
import { WaitpointNotFoundError } from "../errors/waitpoint-not-found-error.js";
import { RunNotFoundError } from "../errors/run-not-found-error.js";
import type { CallingRun } from "./idempotency-key.js";
import { PromiseContext } from "./promise-context.js";
import { textOf, type LazyText } from "./lazy-text.js";
import { isRedisUnavailable } from "../redis/redis-errors.js";
import { tokenCreateName, type DurableCall, type Journal, type JournalEntry, type WaitEntry } from "./journal.js";
import type { RunMetadata } from "./run-metadata.js";
import type { InputStreamSubscription, OnceOptions, RunStreams } from "./run-streams.js";
import type { WaitingOn } from "./run-record.js";
import type { RunWaitpoints } from "./run-waitpoints.js";
import type { CreateTokenOptions } from "./token-options.js";
import type { WaitpointToken } from "./tokens.js";
import type { RunHandle } from "./trigger.js";
import { failureJson, type WaitResult } from "./waitpoint-store.js";

/** What task code sees of the run: `ctx` in `run(payload, { ctx })`. */
export interface TaskContext {
  run: {
    id: string;
    /** When the run was triggered. */
    createdAt: Date;
  };
  attempt: {
    /** The attempt, from 1; a resume after a wait is the same attempt. */
    number: number;
    /** When this attempt (or its resume) started executing. */
    startedAt: Date;
  };
  task: { id: string };
  queue: { name: string };
}

/** How an attempt ended. */
export type AttemptResult =
  | { kind: "completed"; output: unknown }
  | { kind: "failed"; error: unknown }
  | { kind: "parked"; waits: WaitingOn[] }
  | { kind: "timed-out" }
  | { kind: "canceled" }
  | { kind: "abandoned" }
  /** durabull's own Redis I/O for a durable call failed because Redis did not answer: not the task's fault. */
  | { kind: "interrupted"; error: unknown };

/**
 * The furthest a park may be scheduled ahead. BullMQ scores delayed jobs as `ms · 4096`,
 * exact in a double only up to about the year 2039; a longer wait parks for a year at a time
 * and re-parks on waking, because the journal keeps its real end. A wait on a child run has no
 * end of its own: the child's end wakes the parent.
 */
export const PARK_HORIZON_MS = 365 * 86_400_000;

/** The runs a trigger inside a run made or found, as the journal keeps them. */
export interface TriggeredRuns {
  runs: RunHandle[];
  batchId?: string;
}

/** A settled wait on a waitpoint: which one, and its result. */
export interface SettledWaitpoint {
  waitpointId: string;
  result: WaitResult;
}

/** A keyed wait: the same key within its TTL shares one end time. */
export interface WaitKey {
  key: string;
  ttlMs: number;
}

interface Store {
  context: RunContext;
  /** The step whose body is executing, if any. */
  step?: string;
}

const storage = new PromiseContext<Store>();

/** What a step body threw, carried through `durably` so it is not taken for durabull's own I/O failing. */
class StepBodyFailure {
  constructor(readonly error: unknown) {}
}

/** Whether a step body's result is to be awaited (a body that returns its value at once is not). */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === "function";
}

/** A promise that never settles: what durable calls return once the attempt has ended. */
function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

/** The executing attempt's journal, cursor, cancel signal and ending. */
export class RunContext {
  private inFlight = 0;
  private readonly pending: WaitingOn[] = [];
  private parkScheduled = false;
  private ended = false;
  private controller: AbortController | undefined;
  private abortReason: unknown;
  private resolveResult!: (result: AttemptResult) => void;
  private liveStreams: RunStreams | undefined;

  /** How the attempt ended; settles once. */
  readonly result: Promise<AttemptResult>;

  /**
   * @param waitResults results of waitpoints the run waited on, from its hash ("" while pending)
   */
  constructor(
    readonly ctx: TaskContext,
    private readonly journal: Journal,
    private readonly waitpoints: RunWaitpoints,
    private readonly waitResults: Map<string, string>,
    /** The run's metadata, rebuilt as the code replays. */
    readonly metadata: RunMetadata,
    /** Makes the run's live input stream listeners (`.once()`, `.on()`), when the code first uses a stream. */
    private readonly makeStreams: () => RunStreams,
    private readonly clock: () => number = Date.now,
  ) {
    this.result = new Promise((resolve) => {
      this.resolveResult = resolve;
    });
  }

  /** The context of the attempt executing the caller, or OutsideRunError naming `call`. */
  static current(call: LazyText): RunContext {
    const context = RunContext.find(call);
    if (!context) throw new OutsideRunError(textOf(call));
    return context;
  }

  /**
   * The context for a trigger: the attempt executing the caller, unless the caller is a step body
   * (a trigger there is part of the step's side effect, journaled with it) or no run at all.
   */
  static forTrigger(): RunContext | undefined {
    const store = storage.getStore();
    return store?.step === undefined ? store?.context : undefined;
  }

  /** The context of the attempt executing the caller, inside step bodies too; OutsideRunError naming `call` if none. */
  static executing(call: LazyText): RunContext {
    const context = storage.getStore()?.context;
    if (!context) throw new OutsideRunError(textOf(call));
    return context;
  }

  /** The context of the attempt executing the caller, if there is one (durable calls inside a step body throw). */
  static find(call: LazyText): RunContext | undefined {
    const store = storage.getStore();
    if (store?.step !== undefined) throw new NestedDurableCallError(textOf(call), store.step);
    return store?.context;
  }

  /** The run executing the caller (inside step bodies too), for scoping idempotency keys. */
  static callingRun(): CallingRun | undefined {
    const context = storage.getStore()?.context;
    return context ? { runId: context.ctx.run.id, attempt: context.ctx.attempt.number } : undefined;
  }

  /** The run's live input stream listeners, made on first use; closed once the attempt has ended. */
  get streams(): RunStreams {
    if (!this.liveStreams) {
      this.liveStreams = this.makeStreams();
      if (this.ended) this.liveStreams.close();
    }
    return this.liveStreams;
  }

  /** A value was buffered for input stream `streamId`: the live listeners, if the run has any, take it. */
  streamSent(streamId: string): void {
    this.liveStreams?.notify(streamId);
  }

  /** The run's cancel signal, made on first use. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortReason !== undefined) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /** Runs the task's code inside this context; its return or throw ends the attempt. */
  start(run: () => unknown): void {
    let running: unknown;
    try {
      running = storage.run({ context: this }, run);
    } catch (error) {
      this.end({ kind: "failed", error });
      return;
    }
    Promise.resolve(running).then(
      (output) => this.end({ kind: "completed", output }),
      (error: unknown) => this.end({ kind: "failed", error }),
    );
  }

  /**
   * Ends the attempt with `result` unless it has ended already: the input stream listeners stop,
   * and later durable calls never settle.
   */
  end(result: AttemptResult): void {
    if (this.ended) return;
    this.ended = true;
    this.liveStreams?.close();
    this.resolveResult(result);
  }

  /** Aborts the cancel signal with `reason`. */
  abort(reason: unknown): void {
    this.abortReason = reason;
    this.controller?.abort(reason);
  }

  /**
   * `step.run`: returns the journaled result, or runs `fn`, journals its result (one round
   * trip) and returns it as the journal holds it — read back from its JSON, so a first execution
   * sees what a replay will. A result JSON cannot hold (a BigInt, a cycle) throws before anything
   * is written.
   */
  async step<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
    if (this.ended) return never();
    const { index, entry } = this.claim({ kind: "step", name });
    if (entry?.kind === "step") return entry.output as T;
    const stored = await this.durably(async () => {
      const startedAt = this.clock();
      let output: unknown;
      try {
        output = storage.run({ context: this, step: name }, fn);
        if (isThenable(output)) output = await output;
      } catch (error) {
        throw new StepBodyFailure(error);
      }
      if (this.ended) return undefined;
      return this.journal.record(index, { kind: "step", name, startedAt, endedAt: this.clock(), output });
    });
    return stored && !this.ended ? (stored.output as T) : never();
  }

  /**
   * `wait.for` / `wait.until`: resolves once the journaled end time has passed; until then
   * the run parks. A keyed wait takes the end time its key already names, if any.
   */
  async wait(name: WaitEntry["name"], until: number, key?: WaitKey): Promise<void> {
    if (this.ended) return never();
    const { index, entry } = this.claim({ kind: "wait", name });
    let end = entry?.kind === "wait" ? entry.until : undefined;
    if (end === undefined) {
      const startedAt = this.clock();
      const stored = await this.durably(async () =>
        this.journal.record(index, { kind: "wait", name, startedAt, until: key ? await this.waitpoints.reserveWaitKey(key.key, until, key.ttlMs) : until }),
      );
      if (this.ended) return never();
      end = stored.until;
    }
    if (end <= this.clock()) return;
    return this.park({ kind: "duration", until: end });
  }

  /** `wait.createToken` inside a run: journaled, so a replay returns the same token (`isCached`). */
  async createToken(options: CreateTokenOptions | undefined): Promise<WaitpointToken> {
    if (this.ended) return never();
    const name = tokenCreateName(options?.idempotencyKey);
    const { index, entry } = this.claim({ kind: "token.create", name });
    if (entry?.kind === "token.create") return this.waitpoints.handle(entry.tokenId, entry.timeoutAt, true);
    const startedAt = this.clock();
    const created = await this.durably(async () => {
      const token = await this.waitpoints.createToken(options);
      await this.journal.record(index, { kind: "token.create", name, startedAt, tokenId: token.id, timeoutAt: token.timeoutAt });
      return token;
    });
    if (this.ended) return never();
    return this.waitpoints.handle(created.id, created.timeoutAt, created.isCached);
  }

  /** `wait.forToken`: the token's result once it settles; until then the run parks. */
  async forToken(tokenId: string): Promise<SettledWaitpoint> {
    if (this.ended) return never();
    const { index, entry } = this.claim({ kind: "token.wait", name: tokenId });
    const held = this.held(tokenId);
    if (held) return { waitpointId: tokenId, result: held };
    const startedAt = this.clock();
    const outcome = await this.durably(async () => {
      const [state] = await Promise.all([
        this.waitpoints.checkToken(tokenId),
        entry ? undefined : this.journal.record(index, { kind: "token.wait", name: tokenId, startedAt }),
      ]);
      if (!state) throw new WaitpointNotFoundError(tokenId);
      return state.resultJson ? { result: await this.settled(tokenId, state.resultJson) } : { timeoutAt: state.timeoutAt };
    });
    if (this.ended) return never();
    if (outcome.result) return { waitpointId: tokenId, result: outcome.result };
    return this.park({ kind: "token", id: tokenId, until: outcome.timeoutAt! });
  }

  /**
   * An input stream's `.wait()`: the oldest value sent to the stream and not yet taken; until one
   * is sent the run parks, on a token that carries the options (timeout, key, tags).
   */
  async streamWait(streamId: string, options: CreateTokenOptions | undefined): Promise<SettledWaitpoint> {
    if (this.ended) return never();
    const { index, entry } = this.claim({ kind: "stream.wait", name: streamId });
    const startedAt = this.clock();
    const token =
      entry?.kind === "stream.wait"
        ? { id: entry.tokenId, timeoutAt: entry.timeoutAt }
        : await this.durably(async () => {
            const created = await this.waitpoints.createToken(options);
            await this.journal.record(index, { kind: "stream.wait", name: streamId, startedAt, tokenId: created.id, timeoutAt: created.timeoutAt });
            return created;
          });
    if (this.ended) return never();
    const held = this.held(token.id);
    if (held) return { waitpointId: token.id, result: held };
    const result = await this.durably(async () => {
      const taken = await this.waitpoints.takeFromStream(streamId, token.id);
      if (taken) {
        this.waitResults.set(token.id, JSON.stringify(taken));
        if (taken.ok) await this.waitpoints.completeStreamToken(token.id, taken.output);
        return taken;
      }
      const state = await this.waitpoints.checkToken(token.id);
      return state?.resultJson ? this.settled(token.id, state.resultJson) : undefined;
    });
    if (this.ended) return never();
    if (result) return { waitpointId: token.id, result };
    return this.park({ kind: "token", id: token.id, until: token.timeoutAt, stream: streamId });
  }

  /**
   * An input stream's `.once()`: the oldest value sent and not yet taken, or the next one sent,
   * without parking — the run stays executing (and does not park) until it settles. Journaled, so
   * a replay gets the same value (or the same timeout or abort).
   */
  async streamOnce(streamId: string, options: OnceOptions): Promise<unknown> {
    if (this.ended) return never();
    const { index, entry } = this.claim({ kind: "stream.once", name: streamId });
    return this.durably(() => this.streams.once(streamId, index, entry?.kind === "stream.once" ? entry : undefined, options));
  }

  /**
   * An input stream's `.on()`: hands `handler` every value sent while the run executes, in order,
   * each once; a replay hands it again what earlier executions handed it. The subscription's
   * position is journaled at once (the run does not park before it is).
   */
  streamOn(streamId: string, handler: (value: unknown) => unknown): InputStreamSubscription {
    if (this.ended) return { off: () => undefined };
    const { index, entry } = this.claim({ kind: "stream.on", name: streamId });
    if (!entry) {
      this.durably(() => this.journal.record(index, { kind: "stream.on", name: streamId, startedAt: this.clock() })).catch((error: unknown) =>
        this.end({ kind: "failed", error }),
      );
    }
    return this.streams.on(streamId, index, entry !== undefined, handler);
  }

  /**
   * A trigger inside a run: journaled, so a replay or a retry gets the same runs back
   * (`isCached: true`) instead of triggering again. `fire` makes them, given the journal
   * position, which keys them for a replay that comes before the journal entry was written.
   */
  async trigger(taskId: string, waited: boolean, fire: (position: number) => Promise<TriggeredRuns>): Promise<TriggeredRuns> {
    if (this.ended) return never();
    const kind = waited ? "trigger.wait" : "trigger";
    const { index, entry } = this.claim({ kind, name: taskId });
    if (entry?.kind === kind) {
      return { runs: entry.runIds.map((id) => ({ id, isCached: true })), ...(entry.batchId ? { batchId: entry.batchId } : {}) };
    }
    const startedAt = this.clock();
    const triggered = await this.durably(async () => {
      const made = await fire(index);
      await this.journal.record(index, { kind, name: taskId, startedAt, runIds: made.runs.map((run) => run.id), ...(made.batchId ? { batchId: made.batchId } : {}) });
      return made;
    });
    return this.ended ? never() : triggered;
  }

  /** Parks until every run of `runIds` has ended; their results, in the order given. */
  async waitForRuns(runIds: string[]): Promise<SettledWaitpoint[]> {
    if (this.ended) return never();
    const unsettled = runIds.filter((runId) => !this.held(runId));
    if (unsettled.length > 0) {
      const parkOn = await this.durably(async () => {
        const runs = await Promise.all(unsettled.map(async (runId) => ({ runId, run: await this.waitpoints.checkRun(runId) })));
        const waits: WaitingOn[] = [];
        for (const { runId, run } of runs) {
          const resultJson = run ? run.result && JSON.stringify(run.result) : failureJson(new RunNotFoundError(runId));
          if (resultJson) await this.settled(runId, resultJson);
          else waits.push({ kind: "run", id: runId, queue: run!.queue, until: this.clock() + PARK_HORIZON_MS });
        }
        return waits;
      });
      if (this.ended) return never();
      if (parkOn.length > 0) return this.park(...parkOn);
    }
    return runIds.map((runId) => ({ waitpointId: runId, result: this.held(runId)! }));
  }

  /** Takes the journal's next position for `call`; metadata changed during replay is written once replay is over. */
  private claim(call: DurableCall): { index: number; entry: JournalEntry | undefined } {
    const claimed = this.journal.claim(call);
    this.metadata.schedule();
    return claimed;
  }

  /** The settled result the run holds for a waitpoint, if any. */
  private held(waitpointId: string): WaitResult | undefined {
    const held = this.waitResults.get(waitpointId);
    return held ? (JSON.parse(held) as WaitResult) : undefined;
  }

  /** Records a waitpoint's result (its JSON) in the run's hash and returns what the run holds. */
  private async settled(waitpointId: string, resultJson: string): Promise<WaitResult> {
    const held = await this.waitpoints.recordResult(waitpointId, resultJson);
    this.waitResults.set(waitpointId, held);
    return JSON.parse(held) as WaitResult;
  }

  /**
   * Runs a durable call's I/O: the run does not park while it is in flight. If that I/O fails
   * because Redis did not answer, the attempt ends interrupted — the task's code never sees an
   * error that is not its own, and no attempt is spent on it.
   */
  private async durably<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight += 1;
    try {
      return await work();
    } catch (error) {
      if (error instanceof StepBodyFailure) throw error.error;
      if (!isRedisUnavailable(error)) throw error;
      this.end({ kind: "interrupted", error });
      return never();
    } finally {
      this.inFlight -= 1;
      this.scheduleParkCheck();
    }
  }

  private park(...waits: WaitingOn[]): Promise<never> {
    this.pending.push(...waits);
    this.scheduleParkCheck();
    return never();
  }

  private scheduleParkCheck(): void {
    if (this.parkScheduled || this.pending.length === 0) return;
    this.parkScheduled = true;
    setImmediate(() => {
      this.parkScheduled = false;
      if (this.inFlight === 0) this.end({ kind: "parked", waits: [...this.pending] });
    });
  }
}
