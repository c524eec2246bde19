/**
 * Retry policy: how many attempts a run gets and how long it waits between them
 * (exponential backoff with "equal jitter", so a thousand runs that fail together do not
 * retry together).
 */
import { ConfigurationError } from "../errors/configuration-error.js";

/** A task's retry settings. Every field is optional; defaults are in `DEFAULT_RETRY`. */
export interface RetryOptions {
  /** Attempts in all, the first included: 3 means the first attempt plus two retries. */
  maxAttempts?: number;
  /** Growth of the delay between attempts: the n-th retry waits `minTimeoutInMs · factor^(n-1)`. */
  factor?: number;
  /** Delay before the first retry, in milliseconds. */
  minTimeoutInMs?: number;
  /** Longest delay between attempts, in milliseconds. */
  maxTimeoutInMs?: number;
  /** Spread each delay randomly over its upper half, to avoid retry stampedes. */
  randomize?: boolean;
}

/** Defaults for a task without `retry`, as in Trigger.dev's project template. */
export const DEFAULT_RETRY: Required<RetryOptions> = {
  maxAttempts: 3,
  factor: 2,
  minTimeoutInMs: 1_000,
  maxTimeoutInMs: 10_000,
  randomize: true,
};

/** Fills in defaults and checks the values; throws ConfigurationError on a bad one. */
export function resolveRetryOptions(taskId: string, options: RetryOptions = {}): Required<RetryOptions> {
  const resolved = { ...DEFAULT_RETRY, ...options };
  const where = `task "${taskId}" retry`;
  if (!Number.isInteger(resolved.maxAttempts) || resolved.maxAttempts < 1) {
    throw new ConfigurationError(`${where}.maxAttempts must be a whole number of at least 1; got ${resolved.maxAttempts}.`);
  }
  if (!(resolved.factor >= 1) || !Number.isFinite(resolved.factor)) {
    throw new ConfigurationError(`${where}.factor must be a finite number of at least 1; got ${resolved.factor}.`);
  }
  if (!(resolved.minTimeoutInMs >= 0) || !Number.isFinite(resolved.minTimeoutInMs)) {
    throw new ConfigurationError(`${where}.minTimeoutInMs must be at least 0; got ${resolved.minTimeoutInMs}.`);
  }
  if (!(resolved.maxTimeoutInMs >= resolved.minTimeoutInMs) || !Number.isFinite(resolved.maxTimeoutInMs)) {
    throw new ConfigurationError(
      `${where}.maxTimeoutInMs must be at least minTimeoutInMs (${resolved.minTimeoutInMs}); got ${resolved.maxTimeoutInMs}.`,
    );
  }
  return resolved;
}

/**
 * Milliseconds to wait before retry number `retry` (1 for the first retry).
 * Without `randomize` the delay is `min(maxTimeoutInMs, minTimeoutInMs · factor^(retry-1))`;
 * with it, a uniform pick from the upper half of that delay.
 *
 * @param random a number in [0, 1), injectable for tests.
 */
export function retryDelayMs(policy: Required<RetryOptions>, retry: number, random: number = Math.random()): number {
  const exponential = policy.minTimeoutInMs * policy.factor ** (retry - 1);
  const capped = Math.min(policy.maxTimeoutInMs, exponential);
  if (!policy.randomize) return Math.round(capped);
  return Math.round(capped / 2 + (random * capped) / 2);
}
