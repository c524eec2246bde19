/**
 * `idempotencyKeys`: keys that make a trigger, a token or a wait safe to repeat.
 */
import { createIdempotencyKey, type IdempotencyKeyScope } from "../engine/idempotency-key.js";
import { RunContext } from "../engine/run-context.js";

/** Making idempotency keys. */
export const idempotencyKeys = {
  /**
   * Makes a key from a string or from parts (hashed together). `scope` "run" (the default inside
   * a run) makes it unique to the calling run, so a retry of the run makes the same keys;
   * "attempt" to one attempt of it; "global" (the default outside a run) to nothing.
   *
   * @example const key = await idempotencyKeys.create([member.id, "notify"], { scope: "run" });
   */
  async create(keyOrParts: string | readonly unknown[], options: { scope?: IdempotencyKeyScope } = {}): Promise<string> {
    return createIdempotencyKey(keyOrParts, options.scope, RunContext.callingRun());
  },
};
