import { describe, expect, it } from "vitest";
import { durationObjectToMs, parseDuration } from "../../src/engine/duration.js";
import { ConfigurationError } from "../../src/errors/configuration-error.js";

describe("parseDuration", () => {
  it.each([
    ["60s", 60_000],
    ["5m", 300_000],
    ["24h", 86_400_000],
    ["3d", 259_200_000],
    ["2w", 1_209_600_000],
    ["1h30m", 5_400_000],
    ["1.5s", 1_500],
    [" 10m ", 600_000],
  ])("reads %j as %i ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "10", "m", "10x", "-5s", "5 s", "1h 30m", "s10", "1e3s"])("rejects %j with a ConfigurationError", (text) => {
    expect(() => parseDuration(text, "idempotencyKeyTTL")).toThrow(ConfigurationError);
    expect(() => parseDuration(text, "idempotencyKeyTTL")).toThrow(/idempotencyKeyTTL must be a duration/);
  });
});

describe("durationObjectToMs", () => {
  it("sums the units given", () => {
    expect(durationObjectToMs({ seconds: 30 })).toBe(30_000);
    expect(durationObjectToMs({ minutes: 1, seconds: 30 })).toBe(90_000);
    expect(durationObjectToMs({ hours: 1, days: 1, weeks: 1 })).toBe(3_600_000 + 86_400_000 + 604_800_000);
    expect(durationObjectToMs({ seconds: 0 })).toBe(0);
  });

  it("rejects an empty object, negative and non-finite amounts", () => {
    expect(() => durationObjectToMs({})).toThrow(/needs at least one of seconds/);
    expect(() => durationObjectToMs({ seconds: -1 })).toThrow(/seconds must be a finite number/);
    expect(() => durationObjectToMs({ minutes: Number.POSITIVE_INFINITY })).toThrow(ConfigurationError);
    expect(() => durationObjectToMs({ seconds: "5" as unknown as number })).toThrow(ConfigurationError);
  });
});
