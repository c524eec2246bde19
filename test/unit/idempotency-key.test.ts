import { describe, expect, it } from "vitest";
import { createIdempotencyKey, idempotencyKeyHash } from "../../src/engine/idempotency-key.js";
import { ConfigurationError } from "../../src/errors/configuration-error.js";

const run = { runId: "run_a", attempt: 1 };

describe("idempotency keys", () => {
  it("hashes parts into one key, scoped by run, attempt or nothing", () => {
    const global = createIdempotencyKey(["org", "export", "2026-11-21"], "global", undefined);
    expect(global).toMatch(/^ik_[0-9a-f]{64}$/);
    expect(createIdempotencyKey(["org", "export", "2026-11-21"], "global", run)).toBe(global);
    expect(createIdempotencyKey(["org", "export"], "global", undefined)).not.toBe(global);

    const inRun = createIdempotencyKey(["member-1", "notify"], undefined, run);
    expect(createIdempotencyKey(["member-1", "notify"], "run", { runId: "run_a", attempt: 2 })).toBe(inRun);
    expect(createIdempotencyKey(["member-1", "notify"], "run", { runId: "run_b", attempt: 1 })).not.toBe(inRun);
    expect(createIdempotencyKey(["member-1", "notify"], "attempt", run)).not.toBe(createIdempotencyKey(["member-1", "notify"], "attempt", { runId: "run_a", attempt: 2 }));
    expect(createIdempotencyKey("same", "global", undefined)).toBe(createIdempotencyKey(["same"], "global", undefined));
  });

  it("scopes a plain string to the calling run, and leaves a made key as it is", () => {
    expect(idempotencyKeyHash("approval", run)).not.toBe(idempotencyKeyHash("approval", { runId: "run_b", attempt: 1 }));
    expect(idempotencyKeyHash("approval", undefined)).toBe(createIdempotencyKey("approval", "global", undefined).slice(3));
    const made = createIdempotencyKey("approval", "global", undefined);
    expect(idempotencyKeyHash(made, run)).toBe(made.slice(3));
  });

  it("refuses empty keys and run scopes outside a run", () => {
    expect(() => createIdempotencyKey([], "global", undefined)).toThrow(ConfigurationError);
    expect(() => createIdempotencyKey(["a", undefined], "global", undefined)).toThrow(ConfigurationError);
    expect(() => createIdempotencyKey("a", "run", undefined)).toThrow(/only be made inside a run/);
    expect(() => idempotencyKeyHash("", run)).toThrow(ConfigurationError);
  });
});
