/**
 * Trigger idempotency keys: the same key (per task, within its TTL) gives back the run it named
 * — queued, executing, parked or finished — instead of a new one. A run that FAILED or TIMED_OUT
 * releases its key, so a new trigger starts a new run; a COMPLETED or CANCELED run keeps it until
 * the TTL ends. The key is claimed before the run is written, so two concurrent triggers make
 * one run.
 */
import { runScript, scripts } from "../redis/scripts.js";
import { viewRun } from "./run-reader.js";
import type { Runtime } from "./runtime.js";

/** How long a claimed key may name a run that is not written yet before it counts as abandoned. */
const CLAIM_GRACE_MS = 10_000;
const MOST_TRIES = 5;

/** A key to resolve: the task, the key's hash, and how long it lives. */
export interface TriggerKey {
  taskId: string;
  hash: string;
  ttlMs: number;
}

/** What a key resolves to: a new run (the key now names it) or the run it already names. */
export type KeyResolution = { kind: "new" } | { kind: "cached"; runId: string };

/** Claims `key` for run `newRunId`, or answers the run it names. */
export async function resolveTriggerKey(runtime: Runtime, key: TriggerKey, newRunId: string): Promise<KeyResolution> {
  const redisKey = runtime.keys.triggerIdempotency(key.taskId, key.hash);
  for (let tries = 0; tries < MOST_TRIES; tries += 1) {
    const now = Date.now();
    const reply = await runScript<string[]>(runtime.client, scripts.claimIdempotencyKey, [redisKey], [newRunId, now, key.ttlMs]);
    if (reply[0] === "claimed") return { kind: "new" };
    const [, heldRunId, claimedAt] = reply as [string, string, string];
    const view = await viewRun(runtime, heldRunId);
    if (!view && now - Number(claimedAt) < CLAIM_GRACE_MS) return { kind: "cached", runId: heldRunId };
    if (view && view.status !== "FAILED" && view.status !== "TIMED_OUT") return { kind: "cached", runId: heldRunId };
    const moved = await runScript<number>(runtime.client, scripts.swapIdempotencyKey, [redisKey], [heldRunId, newRunId, now, key.ttlMs]);
    if (moved === 1) return { kind: "new" };
  }
  throw new Error(`idempotency key of task "${key.taskId}" kept changing hands; try again`);
}

/** Releases `key` if it still names run `runId` (a trigger that failed to write its run). */
export async function releaseTriggerKey(runtime: Runtime, key: TriggerKey, runId: string): Promise<void> {
  await runScript(runtime.client, scripts.swapIdempotencyKey, [runtime.keys.triggerIdempotency(key.taskId, key.hash)], [runId, "", Date.now(), 0]);
}

/** Releases a key by hand, whatever run it names. */
export async function resetTriggerKey(runtime: Runtime, taskId: string, hash: string): Promise<void> {
  await runtime.client.del(runtime.keys.triggerIdempotency(taskId, hash));
}
