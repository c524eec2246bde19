/**
 * Priority relative to enqueue time, on BullMQ's integer priorities. A run triggered with
 * `priority: P` (seconds) starts after runs of its queue whose enqueue time minus their P is
 * earlier, and before the rest: its *effective time* is its enqueue second minus P, and BullMQ
 * takes lower priorities first, so the priority is the effective time on a grid of seconds.
 *
 * BullMQ priorities are whole numbers from 1 to 2^21 − 1 (0 would jump ahead of every
 * prioritized job, so no run gets it): about 24 days of seconds. A queue lives for years, so the
 * grid moves. Its base advances by one period (7 days) at a time, computed from the clock alone,
 * so every process that triggers agrees on it without reading anything. At any moment the grid
 * covers effective times from about 17 days before the current period to its end:
 * - A run whose effective time is older than the grid (it has waited that long, or its P is that
 *   large) gets priority 1: ahead of every other run, first in first out among equals — a very
 *   large P gives absolute priority, as intended.
 * - When the clock crosses into a new period, the grid runs out for runs enqueued before: their
 *   stored priorities are one period too high. A worker shifts every priority of the queue down
 *   by one period (`shift-priorities` script, waiting, delayed and active runs alike; ties keep
 *   their order), before it starts taking runs and within seconds of the boundary while it runs.
 *   Until that shift lands, runs enqueued just before the boundary sort as if a period newer.
 */

/** The highest priority BullMQ accepts. */
export const MAX_PRIORITY = 2 ** 21 - 1;

/** How far the grid's base moves at a time, in seconds. */
export const PRIORITY_PERIOD_SECONDS = 7 * 86_400;

/** How far before the start of the current period the grid begins, in seconds (~17.3 days). */
const GRID_LEAD_SECONDS = MAX_PRIORITY - PRIORITY_PERIOD_SECONDS;

/** The period the clock is in. */
export function priorityPeriod(nowMs: number): number {
  return Math.floor(nowMs / 1000 / PRIORITY_PERIOD_SECONDS);
}

/**
 * The BullMQ priority of a run enqueued at `enqueuedAtMs` with `prioritySeconds`, on the grid of
 * the period `nowMs` is in.
 *
 * @example encodePriority(Date.now(), 10, Date.now()) // before runs enqueued less than 10 s ago
 */
export function encodePriority(enqueuedAtMs: number, prioritySeconds: number, nowMs: number): number {
  const effective = Math.floor(enqueuedAtMs / 1000) - Math.floor(prioritySeconds);
  const base = priorityPeriod(nowMs) * PRIORITY_PERIOD_SECONDS - GRID_LEAD_SECONDS;
  return Math.min(MAX_PRIORITY, Math.max(1, effective - base));
}
