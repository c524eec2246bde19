/**
 * `queues` and `queue()`: defining shared queues, and what operators reach for in an incident —
 * pausing and resuming queues, reading their counts.
 */
import { z } from "zod";
import { checkOptions } from "../engine/check-options.js";
import {
  listQueues,
  pauseAllQueues,
  pauseQueue,
  resumeAllQueues,
  resumeQueue,
  retrieveQueue,
  type QueueDetails,
} from "../engine/queues.js";
import { runtime } from "../engine/runtime.js";
import { assertValidName } from "../redis/keys.js";

/** A queue that tasks name in their `queue` option. */
export interface QueueOptions {
  /** The queue's name: letters, digits and `._-`. */
  name: string;
  /** The most runs executing at once across every worker; parked runs do not count. Default: no limit. */
  concurrencyLimit?: number;
}

/** The schema of a queue's options (also in a task's `queue` option). */
export const queueOptionsSchema = z.object({ name: z.string(), concurrencyLimit: z.number().int().min(1).max(100_000).optional() }).strict();

/**
 * Defines a queue to share between tasks.
 *
 * @example
 * export const emails = queue({ name: "emails", concurrencyLimit: 5 });
 * export const sendWelcome = task({ id: "send-welcome", queue: emails, run: ... });
 */
export function queue(options: QueueOptions): QueueOptions {
  const checked = checkOptions(queueOptionsSchema, options, "queue options");
  assertValidName("queue name", checked.name);
  return checked;
}

/** Queue controls. */
export const queues = {
  /**
   * Pauses a queue for every worker (the pause is in Redis, and survives restarts): no run starts
   * and no parked run resumes until `resume`; runs executing finish or park. Nothing is lost. A
   * queue no worker has used yet can be paused ahead.
   *
   * @example await queues.pause("emails");
   */
  pause(name: string): Promise<void> {
    return pauseQueue(runtime(), name);
  },

  /** Resumes a paused queue. */
  resume(name: string): Promise<void> {
    return resumeQueue(runtime(), name);
  },

  /** Pauses every queue; queues that appear while paused start paused. Answers the queues paused. */
  pauseAll(): Promise<string[]> {
    return pauseAllQueues(runtime());
  },

  /** Resumes every queue. Answers the queues resumed. */
  resumeAll(): Promise<string[]> {
    return resumeAllQueues(runtime());
  },

  /**
   * A queue's counts (queued, executing, waiting, delayed, completed, failed), paused flag and
   * concurrency limit. Throws QueueNotFoundError for a queue no task, run or pause has used.
   */
  retrieve(name: string): Promise<QueueDetails> {
    return retrieveQueue(runtime(), name);
  },

  /** Every queue's details. */
  list(): Promise<QueueDetails[]> {
    return listQueues(runtime());
  },
};
