/**
 * `idempotencyKeys`: keys that make a trigger, a token or a wait safe to repeat.
 */
import { createIdempotencyKey, idempotencyKeyHash, type IdempotencyKeyScope } from "../engine/idempotency-key.js";
import { RunContext } from "../engine/run-context.js";
import { runtime } from "../engine/runtime.js";
import { resetTriggerKey } from "../engine/trigger-idempotency.js";
import { assertValidName } from "../redis/keys.js";

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

  /**
   * Releases a trigger idempotency key of a task by hand, so the next trigger with it starts a
   * new run. The key is read as a trigger reads it (a plain string inside a run is the run's).
   *
   * @example await idempotencyKeys.reset("export-invoices", key);
   */
  async reset(taskId: string, key: string): Promise<void> {
    assertValidName("task id", taskId);
    await resetTriggerKey(runtime(), taskId, idempotencyKeyHash(key, RunContext.callingRun()));
  },
};
