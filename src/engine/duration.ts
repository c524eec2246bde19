/**
 * Durations as users write them: strings such as "60s", "5m", "24h", "3d", "1h30m" (for
 * timeouts and TTLs), and objects such as `{ seconds: 30 }` (for `wait.for`). Both become
 * milliseconds here, or a ConfigurationError saying what was wrong.
 */
import { ConfigurationError } from "../errors/configuration-error.js";

const UNIT_MS = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
} as const;

/** A duration string: one or more `<number><unit>` parts, units s, m, h, d, w. */
export type DurationString = `${number}${keyof typeof UNIT_MS}` | (string & {});

/** A duration as an object of units, summed: `{ minutes: 1, seconds: 30 }` is 90 s. */
export interface DurationObject {
  seconds?: number;
  minutes?: number;
  hours?: number;
  days?: number;
  weeks?: number;
}

const PART = /(\d+(?:\.\d+)?)([smhdw])/y;

/**
 * Parses a duration string into milliseconds.
 *
 * @example parseDuration("1h30m") // 5_400_000
 */
export function parseDuration(value: string, option = "duration"): number {
  const text = value.trim();
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const match = PART.exec(text);
    if (!match || match.index !== start) {
      throw invalidDuration(option, value);
    }
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  if (text.length === 0 || !Number.isFinite(total)) {
    throw invalidDuration(option, value);
  }
  return Math.round(total);
}

/**
 * Sums a duration object into milliseconds. At least one unit must be given; every unit must
 * be a finite number of at least 0.
 */
export function durationObjectToMs(value: DurationObject, option = "duration"): number {
  const units: [keyof DurationObject, number][] = [
    ["seconds", UNIT_MS.s],
    ["minutes", UNIT_MS.m],
    ["hours", UNIT_MS.h],
    ["days", UNIT_MS.d],
    ["weeks", UNIT_MS.w],
  ];
  let total = 0;
  let given = 0;
  for (const [unit, ms] of units) {
    const amount = value[unit];
    if (amount === undefined) continue;
    if (typeof amount !== "number" || !Number.isFinite(amount) || amount < 0) {
      throw new ConfigurationError(
        `${option}.${unit} must be a finite number of at least 0; got ${String(amount)}.`,
      );
    }
    total += amount * ms;
    given += 1;
  }
  if (given === 0) {
    throw new ConfigurationError(
      `${option} needs at least one of seconds, minutes, hours, days or weeks.`,
    );
  }
  return Math.round(total);
}

function invalidDuration(option: string, value: unknown): ConfigurationError {
  return new ConfigurationError(
    `${option} must be a duration such as "60s", "5m", "24h", "3d", "2w" or "1h30m"; ` +
      `got ${JSON.stringify(value)}.`,
  );
}
