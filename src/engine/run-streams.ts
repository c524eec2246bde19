/**
 * The live listeners of one executing run on its input streams: `.once()` and `.on()`, which
 * read values while the run keeps executing (no park). Values come from the stream's buffer in
 * Redis — the same one `.wait()` reads — taken by a script that journals them in the same step:
 * a `.once()` at its journal position, an `.on()` subscription under its position's field of
 * handed values. So a value is taken once, by one reader, and a replay (after a park, a retry or
 * a crash) gets what earlier executions took: `.once()` the same value, `.on()` the same values
 * again before new ones.
 *
 * A send announces a buffered value on a channel the worker hears (`notify`); a poll every
 * second covers announcements missed while a connection was away. Listeners end with the
 * execution (`close`): when the run parks, finishes or is abandoned.
 */
import { InputStreamTimeoutError } from "../errors/input-stream-timeout-error.js";
import { runScript, scripts } from "../redis/scripts.js";
import { decodeEntry, encodeEntry, journalField, streamOnceTakenPrefix, type StreamOnceEntry, type StreamOnceOutcome } from "./journal.js";
import type { Runtime } from "./runtime.js";
import { serializeError } from "./serialized-error.js";

/** Options of `.once()`. */
export interface OnceOptions {
  /** Reject with InputStreamTimeoutError when no value arrives within this many milliseconds. */
  timeoutMs?: number;
  /** Reject with the signal's reason when it aborts first. */
  signal?: AbortSignal;
}

/** A subscription made by `.on()`. */
export interface InputStreamSubscription {
  /** Stops handing values to the handler; values sent later wait in the buffer. */
  off(): void;
}

interface OnceListener {
  kind: "once";
  position: number;
  startedAt: number;
  settle(outcome: StreamOnceOutcome): void;
}

interface OnListener {
  kind: "on";
  position: number;
  entry: string;
  handler: (value: unknown) => unknown;
}

type Listener = OnceListener | OnListener;

const POLL_MS = 1_000;
/** Most values an `.on()` subscription takes per round trip. */
const TAKE_BATCH = 100;

/** The field of the run hash holding the values handed to the `.on()` subscription at `position`. */
function handedField(position: number): string {
  return `d:${position}`;
}

/** How an abort's reason is journaled: a string as it is, anything else as an error's name and message. */
function abortCause(reason: unknown): string | { name: string; message: string } {
  if (typeof reason === "string") return reason;
  const { name, message } = serializeError(reason);
  return { name, message };
}

/** The rejection of an aborted `.once()`: the journaled reason (an error remade from its name and message). */
function abortReason(cause: string | { name: string; message: string } | undefined): unknown {
  if (cause === undefined || typeof cause === "string") return cause ?? new DOMException("The operation was aborted.", "AbortError");
  return Object.assign(new Error(cause.message), { name: cause.name });
}

/** The live input stream listeners of one execution. */
export class RunStreams {
  private readonly listeners = new Map<string, Listener[]>();
  /** Per stream, the take under way: takes of one stream run one after another, in order. */
  private readonly draining = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly runtime: Runtime,
    private readonly runId: string,
    /** Called when an `.on()` handler throws: the run's code failed. */
    private readonly onHandlerError: (error: unknown) => void,
  ) {}

  /**
   * `.once()` at journal position `position`: the journaled outcome if a replay reaches it, else
   * the oldest buffered value, else the next one sent (or the timeout, or the abort).
   */
  once(streamId: string, position: number, journaled: StreamOnceEntry | undefined, options: OnceOptions): Promise<unknown> {
    if (journaled) return this.outcomeOf(journaled.outcome, streamId, options.timeoutMs);
    return new Promise<unknown>((resolve, reject) => {
      const startedAt = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => void this.recordOnce(streamId, listener, { ok: false, reason: "aborted", cause: abortCause(options.signal?.reason) });
      const listener: OnceListener = {
        kind: "once",
        position,
        startedAt,
        settle: (outcome) => {
          clearTimeout(timer);
          options.signal?.removeEventListener("abort", onAbort);
          this.remove(streamId, listener);
          this.outcomeOf(outcome, streamId, options.timeoutMs).then(resolve, reject);
        },
      };
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener("abort", onAbort, { once: true });
      if (options.timeoutMs !== undefined) timer = setTimeout(() => void this.recordOnce(streamId, listener, { ok: false, reason: "timeout" }), options.timeoutMs);
      this.add(streamId, listener);
    });
  }

  /**
   * `.on()` at journal position `position`: hands `handler` the values earlier executions handed
   * this subscription (a replay), then every value sent, in order, until `off()` or the end of
   * the execution.
   */
  on(streamId: string, position: number, replayed: boolean, handler: (value: unknown) => unknown): InputStreamSubscription {
    const listener: OnListener = { kind: "on", position, entry: encodeEntry({ kind: "stream.on", name: streamId, startedAt: Date.now() }), handler };
    const replay = replayed ? this.handedBefore(position) : Promise.resolve([]);
    this.chain(streamId, async () => {
      for (const value of await replay) await this.hand(listener, value);
    });
    this.add(streamId, listener);
    return { off: () => this.remove(streamId, listener) };
  }

  /** The newest value buffered for `streamId` and not yet taken, or undefined. */
  async peek(streamId: string): Promise<unknown> {
    const newest = await this.runtime.client.lindex(this.runtime.keys.stream(this.runId, streamId), -1);
    return newest === null ? undefined : (JSON.parse(newest) as unknown);
  }

  /** A value was sent to `streamId`: the listeners take what is buffered. */
  notify(streamId: string): void {
    if (!this.listeners.has(streamId)) return;
    this.chain(streamId, () => this.drain(streamId));
  }

  /** Ends every listener: the execution is over. A `.once()` still waiting never settles. */
  close(): void {
    this.closed = true;
    this.listeners.clear();
    clearInterval(this.timer);
  }

  private add(streamId: string, listener: Listener): void {
    if (this.closed) return;
    const listening = this.listeners.get(streamId);
    if (listening) listening.push(listener);
    else this.listeners.set(streamId, [listener]);
    this.timer ??= setInterval(() => {
      for (const stream of this.listeners.keys()) this.notify(stream);
    }, POLL_MS).unref();
    this.notify(streamId);
  }

  private remove(streamId: string, listener: Listener): void {
    const listening = this.listeners.get(streamId)?.filter((other) => other !== listener) ?? [];
    if (listening.length > 0) this.listeners.set(streamId, listening);
    else this.listeners.delete(streamId);
    if (this.listeners.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private chain(streamId: string, work: () => Promise<void>): void {
    const next = (this.draining.get(streamId) ?? Promise.resolve()).then(work).catch((error: unknown) => {
      this.runtime.settings.logger.warn(`run ${this.runId}: reading input stream "${streamId}" failed: ${(error as Error).message}`);
    });
    this.draining.set(streamId, next);
  }

  /** Takes buffered values for the stream's listeners, oldest listener first, until none is left. */
  private async drain(streamId: string): Promise<void> {
    for (;;) {
      const listener = this.listeners.get(streamId)?.[0];
      if (!listener || this.closed) return;
      if (listener.kind === "once") {
        const [state, entry] = await this.take(streamId, listener.position, "once", streamOnceTakenPrefix(streamId, listener.startedAt));
        if (state === "empty") return;
        listener.settle((decodeEntry(entry!) as StreamOnceEntry).outcome);
        continue;
      }
      const [, ...values] = await this.take(streamId, listener.position, "on", listener.entry);
      for (const value of values) await this.hand(listener, JSON.parse(value!) as unknown);
      if (values.length < TAKE_BATCH) return;
    }
  }

  private take(streamId: string, position: number, mode: "once" | "on", entry: string): Promise<(string | undefined)[]> {
    const { client, keys } = this.runtime;
    return runScript<string[]>(client, scripts.streamTake, [keys.run(this.runId), keys.stream(this.runId, streamId)], [
      journalField(position),
      mode,
      entry,
      handedField(position),
      TAKE_BATCH,
    ]);
  }

  /** Records how a `.once()` ended without a value, unless a value was journaled first; settles it. */
  private async recordOnce(streamId: string, listener: OnceListener, outcome: StreamOnceOutcome): Promise<void> {
    const encoded = encodeEntry({ kind: "stream.once", name: streamId, startedAt: listener.startedAt, outcome });
    const { client, keys } = this.runtime;
    const key = keys.run(this.runId);
    const field = journalField(listener.position);
    const stored = (await client.hsetnx(key, field, encoded)) === 1 ? encoded : ((await client.hget(key, field)) ?? encoded);
    listener.settle((decodeEntry(stored) as StreamOnceEntry).outcome);
  }

  private async outcomeOf(outcome: StreamOnceOutcome, streamId: string, timeoutMs: number | undefined): Promise<unknown> {
    if (outcome.ok) return outcome.value;
    throw outcome.reason === "timeout" ? new InputStreamTimeoutError(streamId, timeoutMs) : abortReason(outcome.cause);
  }

  private async handedBefore(position: number): Promise<unknown[]> {
    const handed = await this.runtime.client.hget(this.runtime.keys.run(this.runId), handedField(position));
    return handed ? (JSON.parse(handed) as unknown[]) : [];
  }

  private async hand(listener: OnListener, value: unknown): Promise<void> {
    if (this.closed) return;
    try {
      await listener.handler(value);
    } catch (error) {
      this.onHandlerError(error);
    }
  }
}
