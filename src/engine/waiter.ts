/**
 * Waiters: runs registered as waiting on a token or on another run. In Redis a waiter is a hash
 * field — `r:<run id>` of the run waited on or of a token's details, `<token's slot><run id>` of
 * the waiters of a token's bucket (engine/token-buckets.ts) — whose value is the waiter's queue,
 * followed by " alone" when it waits on nothing else (so settling this one waitpoint is enough to
 * wake it).
 */

/** A waiting run: its id and queue, and whether it waits on this waitpoint alone. */
export interface Waiter {
  runId: string;
  queue: string;
  /** True when the run's park is on this one waitpoint, so settling it is enough to wake the run. */
  alone: boolean;
}

/** The hash value that registers `waiter`. */
export function encodeWaiter(waiter: Waiter): string {
  return waiter.alone ? `${waiter.queue} alone` : waiter.queue;
}

/** The waiter registered as `r:<runId>` with `value`. */
export function decodeWaiter(runId: string, value: string): Waiter {
  const [queue, alone] = value.split(" ");
  return { runId, queue: queue!, alone: alone === "alone" };
}

/** Waiters from a script's reply of run id, value pairs. */
export function waitersFromPairs(pairs: string[]): Waiter[] {
  const waiters: Waiter[] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) waiters.push(decodeWaiter(pairs[i]!, pairs[i + 1]!));
  return waiters;
}

/** Waiters registered as `r:<run id>` fields (of a run's hash, or of a token's details). */
export function waitersOf(fields: Record<string, string>): Waiter[] {
  return Object.entries(fields)
    .filter(([field]) => field.startsWith("r:"))
    .map(([field, value]) => decodeWaiter(field.slice(2), value));
}
