/**
 * Ids for runs, batches and waitpoints: a readable kind prefix, then 26 characters of
 * Crockford base32 holding 48 bits of millisecond time and 80 random bits, so ids sort by
 * creation time and never collide in practice.
 */
import { randomFillSync } from "node:crypto";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const RANDOM_BYTES = 10;

/** Random bytes drawn in bulk: one system call per 409 ids instead of one per id. */
const pool = Buffer.alloc(RANDOM_BYTES * 409);
let poolOffset = pool.length;

function randomChunk(): Buffer {
  if (poolOffset + RANDOM_BYTES > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += RANDOM_BYTES;
  return pool.subarray(poolOffset - RANDOM_BYTES, poolOffset);
}

/** The kinds of id durabull makes, by their prefix. */
export type IdKind = "run" | "batch" | "waitpoint";

/**
 * A new id of the given kind, e.g. `run_01jd3k...`.
 *
 * @param now the time to encode, injectable for tests.
 */
export function createId(kind: IdKind, now: number = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i += 1) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomChunk();
  let random = "";
  let bits = 0;
  let buffer = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      random += ALPHABET[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  return `${kind}_${time}${random}`;
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
