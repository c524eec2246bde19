import { describe, expect, it } from "vitest";
import { deriveRunStatus } from "../../src/engine/run-status.js";

describe("deriveRunStatus", () => {
  it("maps BullMQ job states", () => {
    expect(deriveRunStatus("waiting", { parked: false })).toBe("QUEUED");
    expect(deriveRunStatus("prioritized", { parked: false })).toBe("QUEUED");
    expect(deriveRunStatus("active", { parked: false })).toBe("EXECUTING");
    expect(deriveRunStatus("completed", { parked: false })).toBe("COMPLETED");
    expect(deriveRunStatus("failed", { parked: false })).toBe("FAILED");
  });

  it("tells a parked run (WAITING) from a delayed one (DELAYED: trigger delay or retry backoff)", () => {
    expect(deriveRunStatus("delayed", { parked: true })).toBe("WAITING");
    expect(deriveRunStatus("delayed", { parked: false })).toBe("DELAYED");
  });

  it("lets the recorded outcome say how a finished run ended", () => {
    expect(deriveRunStatus("failed", { outcome: "TIMED_OUT", parked: false })).toBe("TIMED_OUT");
    expect(deriveRunStatus("unknown", { outcome: "COMPLETED", parked: false })).toBe("COMPLETED");
  });

  it("ignores an outcome left by an earlier end once the job is live again", () => {
    expect(deriveRunStatus("waiting", { outcome: "FAILED", parked: false })).toBe("QUEUED");
    expect(deriveRunStatus("active", { outcome: "FAILED", parked: false })).toBe("EXECUTING");
  });
});
