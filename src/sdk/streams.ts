/**
 * Input streams: typed values sent to a run from outside — a reviewer's decision, a user's
 * next message — that the run reads with `.wait()`, parked, without holding a worker.
 */
import { RunContext } from "../engine/run-context.js";
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
      wait: (waitOptions) => {
        const call = `streams.input({ id: ${JSON.stringify(id)} }).wait()`;
        return toWaitpointPromise<T>(RunContext.current(call).streamWait(id, waitOptions));
      },
      send: (runId, data) => sendToStream(runtime(), runId, id, data),
    };
  },
};
