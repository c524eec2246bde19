/**
 * The context of one executing attempt, found by durable calls through AsyncLocalStorage.
 * It replays journaled calls, journals new ones, and decides when the attempt ends: the task
 * returns or throws, the run parks (every branch of the code is blocked on a wait that has
 * not ended and no step is in flight, so `Promise.all` over several waits parks once), the
 * run passes its maxDuration, or the worker abandons it on shutdown. The first of these wins.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { NestedDurableCallError } from "../errors/nested-durable-call-error.js";
import { OutsideRunError } from "../errors/outside-run-error.js";
import { toJsonValue } from "./json-value.js";
import type { Journal, WaitEntry } from "./journal.js";
import type { WaitingOn } from "./run-record.js";

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
  | { kind: "abandoned" };

interface Store {
  context: RunContext;
  /** The step whose body is executing, if any. */
  step?: string;
}

const storage = new AsyncLocalStorage<Store>();

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

  /** How the attempt ended; settles once. */
  readonly result: Promise<AttemptResult>;

  constructor(
    readonly ctx: TaskContext,
    private readonly journal: Journal,
    private readonly clock: () => number = Date.now,
  ) {
    this.result = new Promise((resolve) => {
      this.resolveResult = resolve;
    });
  }

  /** The context of the attempt executing the caller, or OutsideRunError naming `call`. */
  static current(call: string): RunContext {
    const store = storage.getStore();
    if (!store) throw new OutsideRunError(call);
    if (store.step !== undefined) throw new NestedDurableCallError(call, store.step);
    return store.context;
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

  /** Ends the attempt with `result` unless it has ended already; later durable calls never settle. */
  end(result: AttemptResult): void {
    if (this.ended) return;
    this.ended = true;
    this.resolveResult(result);
  }

  /** Aborts the cancel signal with `reason`. */
  abort(reason: unknown): void {
    this.abortReason = reason;
    this.controller?.abort(reason);
  }

  /**
   * `step.run`: returns the journaled result, or runs `fn`, journals its result (one round
   * trip) and returns it as the journal holds it.
   */
  async step<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
    if (this.ended) return never();
    const { index, entry } = this.journal.claim({ kind: "step", name });
    if (entry?.kind === "step") return entry.output as T;
    this.inFlight += 1;
    try {
      const startedAt = this.clock();
      const output = toJsonValue(await storage.run({ context: this, step: name }, fn));
      if (this.ended) return never();
      const stored = await this.journal.record(index, { kind: "step", name, startedAt, endedAt: this.clock(), output });
      return stored.output as T;
    } finally {
      this.inFlight -= 1;
      this.scheduleParkCheck();
    }
  }

  /**
   * `wait.for` / `wait.until`: resolves once the journaled end time has passed; until then
   * the run parks. `decideUntil` picks the end time the first time this wait is reached.
   */
  async wait(name: WaitEntry["name"], decideUntil: () => number | Promise<number>): Promise<void> {
    if (this.ended) return never();
    const { index, entry } = this.journal.claim({ kind: "wait", name });
    let until: number;
    if (entry?.kind === "wait") {
      until = entry.until;
    } else {
      this.inFlight += 1;
      try {
        const startedAt = this.clock();
        const stored = await this.journal.record(index, { kind: "wait", name, startedAt, until: await decideUntil() });
        until = stored.until;
      } finally {
        this.inFlight -= 1;
        this.scheduleParkCheck();
      }
      if (this.ended) return never();
    }
    if (until <= this.clock()) return;
    return this.park({ kind: "duration", until });
  }

  private park(wait: WaitingOn): Promise<never> {
    this.pending.push(wait);
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
