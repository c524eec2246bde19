/**
 * Options of `wait.createToken` (and of an input stream's `.wait()`, which makes a token):
 * checked, with the defaults the seeds give — a timeout of "10m" and an idempotency key that
 * lives "1h".
 */
import { z } from "zod";
import { checkOptions, oneOrMany } from "./check-options.js";
import { parseDuration } from "./duration.js";
import { idempotencyKeyHash, type CallingRun } from "./idempotency-key.js";
import type { NewToken } from "./waitpoint-store.js";

/** Options of `wait.createToken`. */
export interface CreateTokenOptions {
  /** When it times out: a duration such as "48h", or a date. Default "10m". */
  timeout?: string | Date;
  /** The same key (within its TTL) returns the same token, `isCached: true`. Inside a run a plain string is scoped to the run. */
  idempotencyKey?: string;
  /** How long the key names its token, as a duration. Default "1h". */
  idempotencyKeyTTL?: string;
  /** Up to 10 tags to find the token by. */
  tags?: string | string[];
}

const tokenOptionsSchema = z
  .object({
    timeout: z.union([z.string(), z.date()]).optional(),
    idempotencyKey: z.string().min(1).optional(),
    idempotencyKeyTTL: z.string().optional(),
    tags: oneOrMany(z.string())
      .pipe(z.array(z.string().regex(/^[^\s]{1,128}$/, "must be 1 to 128 characters without spaces")).max(10))
      .optional(),
  })
  .strict();

/** Checks token options and resolves their defaults; a key is scoped to `caller` if given. */
export function tokenRequest(options: CreateTokenOptions | undefined, caller: CallingRun | undefined, now: number): NewToken {
  const checked = checkOptions(tokenOptionsSchema, options ?? {}, "token options");
  const timeout = checked.timeout ?? "10m";
  const timeoutMs = timeout instanceof Date ? Math.max(0, timeout.getTime() - now) : parseDuration(timeout, "timeout");
  const key = checked.idempotencyKey;
  return {
    timeoutMs,
    tags: checked.tags ?? [],
    ...(key
      ? { idempotency: { hash: idempotencyKeyHash(key, caller), key, ttlMs: parseDuration(checked.idempotencyKeyTTL ?? "1h", "idempotencyKeyTTL") } }
      : {}),
  };
}
