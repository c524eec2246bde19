import { describe, expect, it } from "vitest";
import { createId, createRunId, isId, timeOfId } from "../../src/engine/ids.js";
import { queueTag, runTag } from "../../src/redis/keys.js";

describe("createId", () => {
  it("makes ids of the kind's shape", () => {
    const id = createRunId("emails");
    expect(id).toMatch(/^run_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(isId("run", id)).toBe(true);
    expect(isId("waitpoint", id)).toBe(false);
    expect(isId("waitpoint", createId("waitpoint"))).toBe(true);
  });

  it("sorts by creation time, within a millisecond too", () => {
    const earlier = createRunId("emails", 1_700_000_000_000);
    const later = createRunId("emails", 1_700_000_000_001);
    expect(earlier < later).toBe(true);
    const sameMillisecond = Array.from({ length: 100 }, () => createId("batch", 1_700_000_000_002));
    expect([...sameMillisecond].sort()).toEqual(sameMillisecond);
  });

  it("tells the time it was made", () => {
    expect(timeOfId(createId("waitpoint", 1_795_293_952_556))).toBe(1_795_293_952_556);
    expect(timeOfId(createRunId("emails", 0))).toBe(0);
  });

  it("does not repeat", () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => createRunId("emails", 1_700_000_000_000)));
    expect(ids.size).toBe(10_000);
  });

  it("puts a run's queue tag in its id, where its keys find it", () => {
    for (const queue of ["emails", "exports", "a", "x".repeat(100)]) {
      const id = createRunId(queue);
      expect(queueTag(queue)).toMatch(/^[0-9a-hjkmnp-tv-z]{4}$/);
      expect(runTag(id)).toBe(queueTag(queue));
    }
    expect(queueTag("emails")).not.toBe(queueTag("exports"));
    expect(runTag("not-a-run-id")).toBe("not-a-run-id");
  });

  it("rejects what is not an id", () => {
    for (const value of ["", "run_", "run_abc", "RUN_01jd3k5y7m9p1q3s5u7w9y1a3c", "run_01jd3k5y7m9p1q3s5u7w9y1a3c:x"]) {
      expect(isId("run", value)).toBe(false);
    }
  });
});
