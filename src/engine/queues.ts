/**
 * Queues as operators handle them: pausing and resuming one queue or every queue, and reading
 * their counts, paused flag and concurrency limit. A pause is BullMQ's own (a flag in the queue's
 * meta in Redis), so it holds for every worker and across restarts: a paused queue starts no new
 * runs and resumes no parked ones (a parked run whose wait ends while paused waits in the queue),
 * while runs already executing finish or park.
 */
import { QueueNotFoundError } from "../errors/queue-not-found-error.js";
import { assertValidName } from "../redis/keys.js";
import type { Runtime } from "./runtime.js";

/** How many runs of a queue are in each state. */
export interface QueueCounts {
  /** Waiting to start, or to resume after a wait ended. */
  queued: number;
  executing: number;
  /** Parked on a wait (WAITING). */
  waiting: number;
  /** Waiting out a trigger delay or a retry backoff (DELAYED). */
  delayed: number;
  completed: number;
  failed: number;
}

/** A queue, as `queues.retrieve` returns it. */
export interface QueueDetails {
  name: string;
  paused: boolean;
  /** Runs executing at once across all workers, or null for no limit. */
  concurrencyLimit: number | null;
  counts: QueueCounts;
}

/** Every queue durabull has used under this prefix, by name. */
export async function queueNames(runtime: Runtime): Promise<string[]> {
  return (await runtime.client.smembers(runtime.keys.queueRegistry())).sort();
}

/** Throws QueueNotFoundError unless a queue of this name is known: used by a task or a run, or paused. */
export async function assertQueueExists(runtime: Runtime, name: string): Promise<void> {
  assertValidName("queue name", name);
  if ((await runtime.client.sismember(runtime.keys.queueRegistry(), name)) === 0) throw new QueueNotFoundError(name);
}

/** A queue's counts, paused flag and concurrency limit; QueueNotFoundError for an unknown queue. */
export async function retrieveQueue(runtime: Runtime, name: string): Promise<QueueDetails> {
  await assertQueueExists(runtime, name);
  return queueDetails(runtime, name);
}

async function queueDetails(runtime: Runtime, name: string): Promise<QueueDetails> {
  const queue = runtime.queue(name);
  const [counts, paused, concurrencyLimit, delays] = await Promise.all([
    queue.getJobCounts("waiting", "prioritized", "active", "delayed", "completed", "failed"),
    queue.isPaused(),
    queue.getGlobalConcurrency(),
    runtime.client.scard(runtime.keys.delays(name)),
  ]);
  const count = (state: string) => counts[state] ?? 0;
  return {
    name,
    paused,
    concurrencyLimit: concurrencyLimit ?? null,
    counts: {
      queued: count("waiting") + count("prioritized"),
      executing: count("active"),
      waiting: Math.max(0, count("delayed") - delays),
      delayed: Math.min(delays, count("delayed")),
      completed: count("completed"),
      failed: count("failed"),
    },
  };
}

/** Every queue's details. */
export async function listQueues(runtime: Runtime): Promise<QueueDetails[]> {
  return Promise.all((await queueNames(runtime)).map((name) => queueDetails(runtime, name)));
}

/** Pauses a queue for every worker, until resumed. */
export async function pauseQueue(runtime: Runtime, name: string): Promise<void> {
  assertValidName("queue name", name);
  await runtime.client.sadd(runtime.keys.queueRegistry(), name);
  await runtime.queue(name).pause();
}

/** Resumes a paused queue. */
export async function resumeQueue(runtime: Runtime, name: string): Promise<void> {
  assertValidName("queue name", name);
  await runtime.queue(name).resume();
}

/** Pauses every queue; queues that appear while so paused start paused. */
export async function pauseAllQueues(runtime: Runtime): Promise<string[]> {
  await runtime.client.set(runtime.keys.pausedAll(), "1");
  const names = await queueNames(runtime);
  await Promise.all(names.map((name) => runtime.queue(name).pause()));
  return names;
}

/** Resumes every queue. */
export async function resumeAllQueues(runtime: Runtime): Promise<string[]> {
  await runtime.client.del(runtime.keys.pausedAll());
  const names = await queueNames(runtime);
  await Promise.all(names.map((name) => runtime.queue(name).resume()));
  return names;
}

/** Whether every queue is paused (`pauseAllQueues`). */
export async function allQueuesPaused(runtime: Runtime): Promise<boolean> {
  return (await runtime.client.exists(runtime.keys.pausedAll())) === 1;
}
