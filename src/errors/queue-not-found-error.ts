/**
 * QueueNotFoundError: no queue has this name — no task has run on it, no run was triggered on
 * it and it was never paused.
 */
import { DurabullError } from "./durabull-error.js";

/** No queue with this name is known. */
export class QueueNotFoundError extends DurabullError {
  readonly code = "QUEUE_NOT_FOUND";
  readonly queue: string;

  constructor(queue: string) {
    super(`No queue named "${queue}".`);
    this.queue = queue;
  }
}
