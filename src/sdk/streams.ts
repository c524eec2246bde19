/**
 * Input streams: typed values sent to a run from outside — a reviewer's decision, a user's
 * next message, a cancel signal. The run reads them with `.wait()` (parked, without holding a
 * worker), or while it keeps executing with `.once()`, `.on()` and `.peek()`.
 */
import { z } from "zod";
import { checkOptions } from "../engine/check-options.js";
import { RunContext } from "../engine/run-context.js";
import type { InputStreamSubscription, OnceOptions } from "../engine/run-streams.js";
import { ConfigurationError } from "../errors/configuration-error.js";
import { runtime } from "../engine/runtime.js";
import { sendToStream } from "../engine/input-streams.js";
import type { CreateTokenOptions } from "../engine/token-options.js";
import { assertValidName } from "../redis/keys.js";
import { toWaitpointPromise, type WaitpointPromise } from "./wait.js";

/** Options of an input stream's `.wait()`: those of the token behind it. */
export type InputStreamWaitOptions = CreateTokenOptions;

/** A defined input stream. */
export interface InputStream<T> {
  readonly id: string;
  /**
   * Inside a run: parks until a value is sent to this run's stream, and resolves with
   * `{ ok: true, output }` — at once if one was sent before; values are read in the order sent,
   * each once. `{ ok: false }` when the timeout (default "10m") passes first.
   *
   * @example const { approved } = await approval.wait({ timeout: "7d" }).unwrap();
   */
  wait(options?: InputStreamWaitOptions): WaitpointPromise<T>;
  /**
   * From anywhere: sends a value to run `runId`'s stream. It wakes the run if it waits on the
   * stream, else it is kept for the run's next `.wait()`. Throws RunNotFoundError,
   * RunFinishedError, or InputStreamFullError (1,000 unread values).
   *
   * @example await approval.send(runId, { approved: true, reviewer: "alice" });
   */
  send(runId: string, data: T): Promise<void>;
  /**
   * Inside a run: the oldest value sent and not yet read — at once if one is buffered — else the
   * next one sent, while the run keeps executing (it does not park). Rejects with
   * InputStreamTimeoutError after `timeoutMs`, or with the signal's reason when it aborts.
   * Journaled: a replay gets the same value.
   *
   * @example const next = await messages.once({ timeoutMs: 30_000 });
   */
  once(options?: OnceOptions): Promise<T>;
  /**
   * Inside a run: calls `handler` with every value sent (those buffered first), in order, each
   * once, while the run executes — until `.off()`, or the run parks or ends. A replay calls it
   * again with the values earlier executions handed it. A handler that throws fails the run.
   *
   * @example const sub = cancelSignal.on(() => controller.abort()); ... sub.off();
   */
  on(handler: (value: T) => void | Promise<void>): InputStreamSubscription;
  /** Inside a run: the newest value sent and not yet read, or undefined; it stays unread. */
  peek(): Promise<T | undefined>;
}

const onceOptionsSchema = z
  .object({
    timeoutMs: z.number().int().min(0).max(2_147_483_647).optional(),
    signal: z.instanceof(AbortSignal).optional(),
  })
  .strict();

function call(id: string): string {
  return `streams.input({ id: ${JSON.stringify(id)} })`;
}

/** Input streams. */
export const streams = {
  /**
   * Defines an input stream; share the object between the task and the code that sends.
   *
   * @example export const approval = streams.input<{ approved: boolean }>({ id: "approval" });
   */
  input<T>(options: { id: string }): InputStream<T> {
    const id = options?.id;
    assertValidName("stream id", id);
    return {
      id,
      wait: (waitOptions) => toWaitpointPromise<T>(RunContext.current(() => `${call(id)}.wait()`).streamWait(id, waitOptions)),
      send: (runId, data) => sendToStream(runtime(), runId, id, data),
      once: (onceOptions = {}) => {
        const checked = checkOptions(onceOptionsSchema, onceOptions, "once options");
        return RunContext.current(() => `${call(id)}.once()`).streamOnce(id, checked) as Promise<T>;
      },
      on: (handler) => {
        if (typeof handler !== "function") throw new ConfigurationError(`${call(id)}.on() needs a handler function.`);
        return RunContext.current(() => `${call(id)}.on()`).streamOn(id, handler as (value: unknown) => unknown);
      },
      peek: () => RunContext.executing(() => `${call(id)}.peek()`).streams.peek(id) as Promise<T | undefined>,
    };
  },
};
