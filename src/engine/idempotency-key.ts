/**
 * Idempotency keys: what a key given to a trigger, a token or a wait means. A key made by
 * `idempotencyKeys.create` is already scoped and hashed, and says so by its shape (`ik_` and 64
 * hex digits); any other string is scoped here — to the run making the call when there is one
 * (so a retry of that run regenerates the same keys), else globally. Either way the stored key
 * is a SHA-256 hash, so a key of any length or content is safe in a Redis key name.
 */
import { createHash } from "node:crypto";
import { ConfigurationError } from "../errors/configuration-error.js";

/** Where a key is unique: within one run, one attempt of a run, or everywhere. */
export type IdempotencyKeyScope = "run" | "attempt" | "global";

/** The run making a call, if any. */
export interface CallingRun {
  runId: string;
  attempt: number;
}

const CREATED = /^ik_[0-9a-f]{64}$/;

function hash(parts: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

/**
 * Makes a key from a string or parts, scoped as asked: "run" (the default inside a run) by the
 * run id, "attempt" by the run id and attempt, "global" by nothing.
 */
export function createIdempotencyKey(keyOrParts: string | readonly unknown[], scope: IdempotencyKeyScope | undefined, caller: CallingRun | undefined): string {
  const parts = typeof keyOrParts === "string" ? [keyOrParts] : [...keyOrParts];
  if (parts.length === 0 || parts.some((part) => part === undefined)) {
    throw new ConfigurationError("idempotencyKeys.create needs a key, or parts none of which is undefined.");
  }
  const resolved = scope ?? (caller ? "run" : "global");
  if (resolved !== "global" && !caller) {
    throw new ConfigurationError(`An idempotency key of scope "${resolved}" can only be made inside a run.`);
  }
  const namespace = resolved === "global" ? ["global"] : resolved === "run" ? ["run", caller!.runId] : ["attempt", caller!.runId, caller!.attempt];
  return `ik_${hash([...namespace, ...parts])}`;
}

/** The stored form (a hash) of a key given to a trigger, token or wait. */
export function idempotencyKeyHash(key: string, caller: CallingRun | undefined): string {
  if (typeof key !== "string" || key.length === 0) {
    throw new ConfigurationError(`idempotencyKey must be a non-empty string; got ${JSON.stringify(key)}.`);
  }
  return (CREATED.test(key) ? key : createIdempotencyKey(key, undefined, caller)).slice(3);
}

/**
 * The stored key an in-run trigger gives an item that has none: the calling run, the trigger's
 * journal position and the item's index. Its namespace is none a given key can have.
 */
export function replayKeyHash(caller: CallingRun, position: number, item: number): string {
  return hash(["trigger", caller.runId, position, item]);
}
