import { describe, expect, it } from "vitest";
import { encodePriority, MAX_PRIORITY, PRIORITY_PERIOD_SECONDS, priorityPeriod } from "../../src/engine/priority.js";

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const DAY = 86_400_000;

describe("encodePriority", () => {
  it("puts a run with priority P before runs enqueued less than P seconds earlier, after those enqueued more", () => {
    const x = encodePriority(NOW - 2_000, 0, NOW);
    const y = encodePriority(NOW, 10, NOW);
    const z = encodePriority(NOW, 1, NOW);
    expect(y).toBeLessThan(x);
    expect(x).toBeLessThan(z);
    expect(encodePriority(NOW, 2, NOW)).toBe(x);
  });

  it("ties runs with equal effective times, and keeps every priority at least 1 (0 would jump BullMQ's queue)", () => {
    expect(encodePriority(NOW, 5, NOW)).toBe(encodePriority(NOW - 5_000, 0, NOW));
    expect(encodePriority(NOW + 400, 0, NOW)).toBe(encodePriority(NOW, 0, NOW));
    for (const p of [0, 1, 60, 86_400, 1e9, Number.MAX_SAFE_INTEGER]) {
      const priority = encodePriority(NOW, p, NOW);
      expect(priority).toBeGreaterThanOrEqual(1);
      expect(priority).toBeLessThanOrEqual(MAX_PRIORITY);
      expect(Number.isInteger(priority)).toBe(true);
    }
  });

  it("gives huge priorities, and runs older than the grid, priority 1: absolute, first in first out", () => {
    expect(encodePriority(NOW, 1e9, NOW)).toBe(1);
    expect(encodePriority(NOW - 60 * DAY, 0, NOW)).toBe(1);
    expect(encodePriority(NOW - 17 * DAY, 0, NOW)).toBeGreaterThan(1);
  });

  it("keeps a run without priority inside the grid for the whole of a period", () => {
    const start = priorityPeriod(NOW) * PRIORITY_PERIOD_SECONDS * 1000;
    for (const at of [start, start + 3 * DAY, start + PRIORITY_PERIOD_SECONDS * 1000 - 1]) {
      expect(encodePriority(at, 0, at)).toBeLessThanOrEqual(MAX_PRIORITY);
      expect(encodePriority(at, 0, at)).toBeGreaterThan(MAX_PRIORITY - PRIORITY_PERIOD_SECONDS - 1);
    }
  });

  it("moves the grid by one period at the boundary: the same effective time drops by exactly one period", () => {
    const boundary = (priorityPeriod(NOW) + 1) * PRIORITY_PERIOD_SECONDS * 1000;
    const enqueued = boundary - 3_600_000;
    const before = encodePriority(enqueued, 0, boundary - 1);
    const after = encodePriority(enqueued, 0, boundary);
    expect(before - after).toBe(PRIORITY_PERIOD_SECONDS);
    expect(priorityPeriod(boundary) - priorityPeriod(boundary - 1)).toBe(1);
  });
});
