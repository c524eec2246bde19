/**
 * Keeps a queue's priorities on the current priority grid (engine/priority.ts): when the clock
 * has crossed into a new period, shifts every stored priority of the queue down to it, in one
 * script. Each worker checks its queues before it takes runs and every few seconds after.
 */
import { runScript, scripts } from "../redis/scripts.js";
import { PeriodicTask } from "./periodic-task.js";
import { PRIORITY_PERIOD_SECONDS, priorityPeriod } from "./priority.js";
import type { Runtime } from "./runtime.js";

/** Shifts one queue's priorities when the period changes. */
export class PriorityShifter extends PeriodicTask {
  constructor(
    private readonly runtime: Runtime,
    private readonly queue: string,
    intervalMs = 5_000,
  ) {
    super(intervalMs, `priority shift of queue "${queue}"`, runtime.settings.logger);
  }

  protected tick(): Promise<number> {
    return this.shift();
  }

  /** Moves the queue to the period of `now` if it is on an earlier one; answers how many runs moved. */
  async shift(now = Date.now()): Promise<number> {
    const { keys, client } = this.runtime;
    const queue = this.runtime.queue(this.queue);
    return runScript<number>(
      client,
      scripts.shiftPriorities,
      [keys.priorityPeriod(this.queue), queue.keys.prioritized!, queue.keys.delayed!, queue.keys.active!, queue.keys.wait!],
      [queue.toKey(""), priorityPeriod(now), PRIORITY_PERIOD_SECONDS],
    );
  }
}
