/**
 * `metadata`: live progress of a run — "page 7 of 20" — kept with the run, returned by
 * `runs.retrieve`, and shown as the job's progress in Bull Board. Use it in the run's code, not
 * inside step bodies: the code runs again on every replay and rebuilds the metadata from what the
 * run was triggered with, so `increment` counts right however often the run resumes.
 */
import { RunContext } from "../engine/run-context.js";
import type { RunMetadata } from "../engine/run-metadata.js";

function current(call: string): RunMetadata {
  return RunContext.current(() => `metadata.${call}()`).metadata;
}

function numberAt(values: Record<string, unknown>, key: string): number {
  const value = values[key];
  return typeof value === "number" ? value : 0;
}

/** The executing run's metadata. */
export const metadata = {
  /**
   * Sets a key.
   *
   * @example metadata.set("page", page);
   */
  set(key: string, value: unknown): void {
    current("set").change(`metadata.set(${JSON.stringify(key)})`, (values) => {
      values[key] = value;
    });
  },

  /** Removes a key. */
  del(key: string): void {
    current("del").change(`metadata.del(${JSON.stringify(key)})`, (values) => {
      delete values[key];
    });
  },

  /** Appends to the array at a key (making one if needed). */
  append(key: string, value: unknown): void {
    current("append").change(`metadata.append(${JSON.stringify(key)})`, (values) => {
      const existing = values[key];
      values[key] = [...(Array.isArray(existing) ? existing : existing === undefined ? [] : [existing]), value];
    });
  },

  /** Adds to the number at a key (0 if unset). */
  increment(key: string, by = 1): void {
    current("increment").change(`metadata.increment(${JSON.stringify(key)})`, (values) => {
      values[key] = numberAt(values, key) + by;
    });
  },

  /** Subtracts from the number at a key (0 if unset). */
  decrement(key: string, by = 1): void {
    current("decrement").change(`metadata.decrement(${JSON.stringify(key)})`, (values) => {
      values[key] = numberAt(values, key) - by;
    });
  },

  /** The value at a key. */
  get(key: string): unknown {
    return current("get").current()[key];
  },

  /** All of the metadata (a copy). */
  current(): Record<string, unknown> {
    return current("current").current();
  },

  /** Writes pending changes now (they are written a few milliseconds after a change anyway). */
  flush(): Promise<void> {
    return current("flush").flush();
  },
};
