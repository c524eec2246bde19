/**
 * `step.run`: a durable step. Its result is journaled; a replay (after a wait, a retry or a
 * crash) returns the journaled result and does not call the body again.
 */
import { ConfigurationError } from "../errors/configuration-error.js";
import { RunContext } from "../engine/run-context.js";

/** Durable steps. */
export const step = {
  /**
   * Runs `fn` once per run and journals its result (JSON: a Date comes back as a string, on
   * the first execution too). A body cut off by a crash runs again: at least once inside a
   * step, exactly once across steps. Steps cannot be nested, and durable calls cannot be made
   * inside a step body.
   *
   * @param name names the step in the journal; the same call site must use the same name on replay.
   * @example const charge = await step.run("charge-card", () => stripe.charges.create(...));
   */
  run<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
    if (typeof name !== "string" || name.length === 0 || name.length > 256) {
      throw new ConfigurationError(`step.run needs a name of 1 to 256 characters; got ${JSON.stringify(name)}.`);
    }
    if (typeof fn !== "function") throw new ConfigurationError(`step.run(${JSON.stringify(name)}) needs a function.`);
    return RunContext.current(() => `step.run(${JSON.stringify(name)})`).step(name, fn);
  },
};
