/**
 * Durable waits. A wait that has not ended parks the run: the job moves to BullMQ's delayed
 * set, the worker slot is freed, and the run resumes (on any worker) when the wait ends.
 */
import { ConfigurationError } from "../errors/configuration-error.js";
import { durationObjectToMs, type DurationObject } from "../engine/duration.js";
import { RunContext } from "../engine/run-context.js";

/** Options of `wait.until`. */
export interface WaitUntilOptions {
  /** When to resume. A date already past resolves at once. */
  date: Date;
}

/** Durable waits, usable inside a task's `run`. */
export const wait = {
  /**
   * Parks the run for a duration. Survives worker restarts and crashes; costs no worker slot.
   *
   * @example await wait.for({ seconds: 30 });
   */
  for(duration: DurationObject): Promise<void> {
    const ms = durationObjectToMs(duration, "wait.for");
    return RunContext.current("wait.for()").wait("for", () => Date.now() + ms);
  },

  /**
   * Parks the run until a date. A date already in the past resolves at once — it does not
   * skip what follows, so check the date yourself if a late run should do nothing.
   *
   * @example await wait.until({ date: trialEndsAt });
   */
  until(options: WaitUntilOptions): Promise<void> {
    const date = options?.date;
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
      throw new ConfigurationError(`wait.until needs { date: Date } with a valid date; got ${String(date)}.`);
    }
    return RunContext.current("wait.until()").wait("until", () => date.getTime());
  },
};
