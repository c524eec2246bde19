/**
 * Trigger idempotency keys: the same key (per task, within its TTL) gives back the run it named
 * — queued, executing, parked or finished — instead of a new one. A run that FAILED or TIMED_OUT
 * releases its key, so a new trigger starts a new run; a COMPLETED or CANCELED run keeps it until
 * the TTL ends. The key is claimed before the run is written, so two concurrent triggers make
 * one run: the second waits until the first has written it. A claim whose run is still not
 * written after a grace period was abandoned (its trigger died between claiming and writing, or
 * Redis went away), and the key passes to the next trigger — never to a run that does not exist.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { runScript, scripts } from "../redis/scripts.js";
import { viewRun, type RunView } from "./run-reader.js";
import type { Runtime } from "./runtime.js";

/** How long a claimed key may name a run that is not written yet before it counts as abandoned. */
export const CLAIM_GRACE_MS = 10_000;
/** The longest pause between looks at a claimed run not written yet. */
const CLAIM_POLL_MAX_MS = 500;
const MOST_TRIES = 5;

/** A key to resolve: the task, the key's hash, and how long it lives. */
export interface TriggerKey {
  taskId: string;
  hash: string;
  ttlMs: number;
}

/** What a key resolves to: a new run (the key now names it) or the run it already names. */
export type KeyResolution = { kind: "new" } | { kind: "cached"; runId: string };

/** What claiming a key found: it was free (this trigger's run now holds it), or another run holds it. */
type KeyClaim = { kind: "new" } | { kind: "held"; runId: string; claimedAt: number };

/** One run a trigger is making, with its key if it has one. */
export interface KeyedRun {
  runId: string;
  key?: TriggerKey | undefined;
}

const NEW_RUN = { kind: "new" } as const;

/**
 * Resolves the keys of the runs a trigger is making, and has `write` write the runs that are new.
 * The runs whose keys this trigger claims at once (and those without a key) are written before it
 * waits on runs that other triggers claimed, so two triggers that each hold a key the other needs
 * never wait on each other. A run whose key an earlier run of the same trigger has gets that run.
 * Answers each run's resolution, in order.
 */
export async function resolveTriggerKeys<T extends KeyedRun>(runtime: Runtime, runs: T[], write: (runs: T[]) => Promise<void>): Promise<KeyResolution[]> {
  if (!runs.some((run) => run.key)) {
    await write(runs);
    return runs.map(() => NEW_RUN);
  }
  const firstWithKey = new Map<string, number>();
  const sameAs = runs.map((run, item) => {
    if (!run.key) return undefined;
    const name = `${run.key.taskId} ${run.key.hash}`;
    const first = firstWithKey.get(name);
    if (first === undefined) firstWithKey.set(name, item);
    return first;
  });
  const claims = await Promise.all(
    runs.map((run, item): Promise<KeyClaim> | KeyClaim => (run.key && sameAs[item] === undefined ? claimTriggerKey(runtime, run.key, run.runId) : NEW_RUN)),
  );
  await write(runs.filter((_, item) => claims[item]!.kind === "new" && sameAs[item] === undefined));
  const resolutions = await Promise.all(
    runs.map((run, item) => {
      const claim = claims[item]!;
      return claim.kind === "held" ? settleHeldKey(runtime, run.key!, claim, run.runId) : claim;
    }),
  );
  await write(runs.filter((_, item) => claims[item]!.kind === "held" && resolutions[item]!.kind === "new"));
  return runs.map((_, item) => {
    const first = sameAs[item];
    if (first === undefined) return resolutions[item]!;
    const resolved = resolutions[first]!;
    return { kind: "cached", runId: resolved.kind === "cached" ? resolved.runId : runs[first]!.runId };
  });
}

/** Claims `key` for run `runId`, or answers the run that holds it and since when. */
async function claimTriggerKey(runtime: Runtime, key: TriggerKey, runId: string): Promise<KeyClaim> {
  const redisKey = runtime.keys.triggerIdempotency(key.taskId, key.hash);
  const reply = await runScript<string[]>(runtime.client, scripts.claimIdempotencyKey, [redisKey], [runId, Date.now(), key.ttlMs]);
  if (reply[0] === "claimed") return NEW_RUN;
  const [, heldRunId, claimedAt] = reply as [string, string, string];
  return { kind: "held", runId: heldRunId, claimedAt: Number(claimedAt) };
}

/**
 * Settles a key another run holds: that run once it is written, unless it FAILED or TIMED_OUT
 * (which release the key) or was never written within the grace period (its trigger died) — then
 * the key passes to run `newRunId`.
 */
async function settleHeldKey(runtime: Runtime, key: TriggerKey, held: KeyClaim & { kind: "held" }, newRunId: string): Promise<KeyResolution> {
  const redisKey = runtime.keys.triggerIdempotency(key.taskId, key.hash);
  let holder = held;
  for (let tries = 0; tries < MOST_TRIES; tries += 1) {
    const view = await writtenRun(runtime, holder.runId, holder.claimedAt);
    if (view && view.status !== "FAILED" && view.status !== "TIMED_OUT") return { kind: "cached", runId: holder.runId };
    const moved = await runScript<number>(runtime.client, scripts.swapIdempotencyKey, [redisKey], [holder.runId, newRunId, Date.now(), key.ttlMs]);
    if (moved === 1) return NEW_RUN;
    const claim = await claimTriggerKey(runtime, key, newRunId);
    if (claim.kind === "new") return claim;
    holder = claim;
  }
  throw new Error(`idempotency key of task "${key.taskId}" kept changing hands; try again`);
}

/**
 * Run `runId`, which a key claimed at `claimedAt` names, once its trigger has written it; undefined
 * if it is not written within the claim's grace period.
 */
async function writtenRun(runtime: Runtime, runId: string, claimedAt: number): Promise<RunView | undefined> {
  for (let pause = 20; ; pause = Math.min(pause * 2, CLAIM_POLL_MAX_MS)) {
    const view = await viewRun(runtime, runId);
    const left = claimedAt + CLAIM_GRACE_MS - Date.now();
    if (view || left <= 0) return view;
    await sleep(Math.min(pause, left));
  }
}

/** Releases `key` if it still names run `runId` (a trigger that failed to write its run). */
export async function releaseTriggerKey(runtime: Runtime, key: TriggerKey, runId: string): Promise<void> {
  await runScript(runtime.client, scripts.swapIdempotencyKey, [runtime.keys.triggerIdempotency(key.taskId, key.hash)], [runId, "", Date.now(), 0]);
}

/** Releases a key by hand, whatever run it names. */
export async function resetTriggerKey(runtime: Runtime, taskId: string, hash: string): Promise<void> {
  await runtime.client.del(runtime.keys.triggerIdempotency(taskId, hash));
}
