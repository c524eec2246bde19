import { describe, expect, it } from "vitest";
import { isJsonExact, toJsonValue } from "../../src/engine/json-value.js";

describe("toJsonValue", () => {
  it("gives a value back as JSON would, passing those JSON returns unchanged through as they are", () => {
    const objectValue = { at: new Date(0), gone: undefined, list: [undefined, 1] };
    const cases: [unknown, unknown][] = [
      ["text", "text"],
      [7.25, 7.25],
      [true, true],
      [null, null],
      [undefined, undefined],
      [-0, 0],
      [Number.NaN, null],
      [Number.NEGATIVE_INFINITY, null],
      [new Date(0), "1970-01-01T00:00:00.000Z"],
      [objectValue, { at: "1970-01-01T00:00:00.000Z", list: [null, 1] }],
    ];
    for (const [value, json] of cases) {
      expect(toJsonValue(value)).toEqual(json);
      if (typeof json !== "object" || json === null) expect(Object.is(toJsonValue(value), json), String(value)).toBe(true);
    }
    expect(toJsonValue(objectValue)).not.toBe(objectValue);
  });

  it("throws on what JSON cannot hold", () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => toJsonValue(1n)).toThrow(/BigInt/);
    expect(() => toJsonValue(cycle)).toThrow(/circular/);
  });

  it("says which values JSON gives back unchanged", () => {
    expect(["a", 1, false, null, undefined].every(isJsonExact)).toBe(true);
    expect([-0, Number.NaN, Number.POSITIVE_INFINITY, 1n, {}, [], () => 1, Symbol("s")].some(isJsonExact)).toBe(false);
  });
});
