/**
 * Ids for runs, batches and waitpoints: a readable kind prefix, then 26 characters of
 * Crockford base32 — 50 bits of millisecond time, a 20-bit sequence of this process, and 60
 * random bits — so ids sort by creation time (within a millisecond too, in one process) and
 * never collide in practice.
 */
import { randomFillSync } from "node:crypto";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const RANDOM_BYTES = 8;

/** Random bytes drawn in bulk: one system call per 512 ids instead of one per id. */
const pool = Buffer.alloc(RANDOM_BYTES * 512);
let poolOffset = pool.length;
let sequence = 0;

/** The kinds of id durabull makes, by their prefix. */
export type IdKind = "run" | "batch" | "waitpoint";

function base32(value: number, length: number): string {
  let text = "";
  let rest = value;
  for (let i = 0; i < length; i += 1) {
    text = ALPHABET[rest % 32] + text;
    rest = Math.floor(rest / 32);
  }
  return text;
}

function randomPart(): string {
  if (poolOffset + RANDOM_BYTES > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const high = pool.readUInt32BE(poolOffset) & 0x3fffffff;
  const low = pool.readUInt32BE(poolOffset + 4) & 0x3fffffff;
  poolOffset += RANDOM_BYTES;
  return base32(high, 6) + base32(low, 6);
}

/**
 * A new id of the given kind, e.g. `run_01jd3k...`.
 *
 * @param now the time to encode, injectable for tests.
 */
export function createId(kind: IdKind, now: number = Date.now()): string {
  sequence = (sequence + 1) % 0x100000;
  return `${kind}_${base32(now, 10)}${base32(sequence, 4)}${randomPart()}`;
}

/** The smallest id of a kind made at or after `time`: a bound for ranges over ids, which sort by time. */
export function idsFrom(kind: IdKind, time: number): string {
  return `${kind}_${base32(time, 10)}`;
}

/** The creation time (ms since the epoch) encoded in an id made by `createId`. */
export function timeOfId(id: string): number {
  const encoded = id.slice(id.indexOf("_") + 1, id.indexOf("_") + 11);
  let time = 0;
  for (const char of encoded) time = time * 32 + ALPHABET.indexOf(char);
  return time;
}

const ID_SHAPE: Record<IdKind, RegExp> = {
  run: new RegExp(`^run_[${ALPHABET}]{26}$`),
  batch: new RegExp(`^batch_[${ALPHABET}]{26}$`),
  waitpoint: new RegExp(`^waitpoint_[${ALPHABET}]{26}$`),
};

/** Whether `value` looks like an id of the given kind (used to reject garbage early). */
export function isId(kind: IdKind, value: string): boolean {
  return ID_SHAPE[kind].test(value);
}
