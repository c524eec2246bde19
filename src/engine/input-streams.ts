/**
 * Sending to a run's input stream from outside. The value settles the run's pending `.wait()` on
 * that stream at once (waking the run), or joins the stream's buffer, in order, for its next
 * reader (`.wait()`, `.once()`, `.on()`) — in the run's own slot, in one script, so no value is
 * lost or read twice. A buffered value is announced on a channel that the worker executing the
 * run hears, so its live listeners take it at once.
 */
import { InputStreamFullError } from "../errors/input-stream-full-error.js";
import { InputStreamValueTooLargeError } from "../errors/input-stream-value-too-large-error.js";
import { RunFinishedError } from "../errors/run-finished-error.js";
import { RunNotFoundError } from "../errors/run-not-found-error.js";
import { TaskPayloadError } from "../errors/task-payload-error.js";
import { assertValidName } from "../redis/keys.js";
import { runScript, scripts } from "../redis/scripts.js";
import { viewRun } from "./run-reader.js";
import { isFinalStatus } from "./run-status.js";
import type { Runtime } from "./runtime.js";
import { wakeTokenWaiters } from "./tokens.js";
import { promoteRun } from "./waking.js";
import { WaitpointStore } from "./waitpoint-store.js";

/** The largest value, as JSON, an input stream accepts. */
export const INPUT_STREAM_VALUE_LIMIT = 1024 * 1024;

/** Sends `data` (JSON) to run `runId`'s input stream `streamId`. */
export async function sendToStream(runtime: Runtime, runId: string, streamId: string, data: unknown): Promise<void> {
  assertValidName("stream id", streamId);
  let encoded: string;
  try {
    encoded = JSON.stringify(data) ?? "null";
  } catch (error) {
    throw new TaskPayloadError(`stream:${streamId}`, [{ path: [], message: `value is not JSON-serialisable (${(error as Error).message})` }], { cause: error });
  }
  const bytes = Buffer.byteLength(encoded);
  if (bytes > INPUT_STREAM_VALUE_LIMIT) throw new InputStreamValueTooLargeError(streamId, bytes, INPUT_STREAM_VALUE_LIMIT);
  const limit = runtime.settings.inputStreamLimit;
  const view = await viewRun(runtime, runId);
  if (!view) throw new RunNotFoundError(runId);
  if (isFinalStatus(view.status)) throw new RunFinishedError(runId, view.status);
  const { keys } = runtime;
  const { queue } = view.record;
  const reply = await runScript<string[]>(runtime.client, scripts.streamSend, [keys.run(runId), keys.stream(runId, streamId), keys.job(queue, runId)], [
    streamId,
    encoded,
    limit,
    keys.streamSendChannel(),
    runId,
  ]);
  if (reply[0] === "missing") throw new RunNotFoundError(runId);
  if (reply[0] === "full") throw new InputStreamFullError(runId, streamId, limit);
  if (reply[0] !== "delivered") return;
  const [, tokenId, pending] = reply as [string, string, string];
  if (Number(pending) === 0) await promoteRun(runtime, queue, runId);
  const token = await new WaitpointStore(runtime).settle(tokenId, "complete", { output: data });
  if (token?.moved) await wakeTokenWaiters(runtime, tokenId, token);
}
