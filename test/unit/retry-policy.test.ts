import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY, resolveRetryOptions, retryDelayMs } from "../../src/engine/retry-policy.js";
import { ConfigurationError } from "../../src/errors/configuration-error.js";

describe("retryDelayMs", () => {
  const policy = { maxAttempts: 10, factor: 2, minTimeoutInMs: 1_000, maxTimeoutInMs: 10_000, randomize: false };

  it("grows exponentially from minTimeoutInMs and stops at maxTimeoutInMs", () => {
    expect([1, 2, 3, 4, 5, 6].map((retry) => retryDelayMs(policy, retry))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });

  it("with randomize, picks from the upper half of the delay", () => {
    const random = { ...policy, randomize: true };
    expect(retryDelayMs(random, 3, 0)).toBe(2_000);
    expect(retryDelayMs(random, 3, 0.5)).toBe(3_000);
    expect(retryDelayMs(random, 3, 0.999_999)).toBeLessThanOrEqual(4_000);
    expect(retryDelayMs(random, 10, 0.999_999)).toBeLessThanOrEqual(10_000);
  });

  it("spreads a thousand simultaneous failures over the window", () => {
    const delays = new Set(Array.from({ length: 1_000 }, () => retryDelayMs({ ...policy, randomize: true }, 2)));
    expect(delays.size).toBeGreaterThan(500);
  });
});

describe("resolveRetryOptions", () => {
  it("fills in Trigger.dev's defaults", () => {
    expect(resolveRetryOptions("t")).toEqual(DEFAULT_RETRY);
    expect(resolveRetryOptions("t", { maxAttempts: 5 })).toEqual({ ...DEFAULT_RETRY, maxAttempts: 5 });
  });

  it.each([
    [{ maxAttempts: 0 }, /maxAttempts must be a whole number of at least 1/],
    [{ maxAttempts: 1.5 }, /maxAttempts/],
    [{ factor: 0.5 }, /factor must be a finite number of at least 1/],
    [{ minTimeoutInMs: -1 }, /minTimeoutInMs must be at least 0/],
    [{ minTimeoutInMs: 5_000, maxTimeoutInMs: 1_000 }, /maxTimeoutInMs must be at least minTimeoutInMs/],
  ])("rejects %j", (options, message) => {
    expect(() => resolveRetryOptions("charge", options)).toThrow(ConfigurationError);
    expect(() => resolveRetryOptions("charge", options)).toThrow(message);
  });
});
