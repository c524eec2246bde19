/**
 * Ids for runs, batches and waitpoints: a readable kind prefix, then 26 characters of
 * Crockford base32 — 50 bits of millisecond time, a 20-bit sequence of this process, and 60
 * random bits — so ids sort by creation time (within a millisecond too, in one process) and
 * never collide in practice. A run's id puts its queue's hash tag (4 characters, redis/keys.ts)
 * where the first 20 random bits were, so that a run's keys, named from its id alone, share its
 * queue's slot. A waitpoint token's id keeps the time and puts the token's bucket and slot where
 * the sequence and part of the randomness were (engine/token-buckets.ts).
 */
import { randomFillSync } from "node:crypto";
import { BASE32_ALPHABET as ALPHABET, ID_LENGTH, idPattern } from "../redis/base32.js";
import { queueTag, RUN_TAG_START } from "../redis/keys.js";

const ALPHABET_CODES = Buffer.from(ALPHABET, "latin1");
const RANDOM_BYTES = 8;

/** Random bytes drawn in bulk: one system call per 512 ids instead of one per id. */
const pool = Buffer.alloc(RANDOM_BYTES * 512);
let poolOffset = pool.length;
let sequence = 0;
/** Where an id's characters are written before they become one string (no string per character). */
const scratch = Buffer.alloc(ID_LENGTH);

/** The kinds of id durabull makes, by their prefix. */
export type IdKind = "run" | "batch" | "waitpoint";

/** Writes `value` as `length` base32 characters into `scratch` at `offset`, most significant first. */
function writeBase32(value: number, length: number, offset: number): void {
  let rest = value;
  for (let i = offset + length - 1; i >= offset; i -= 1) {
    scratch[i] = ALPHABET_CODES[rest % 32]!;
    rest = Math.floor(rest / 32);
  }
}

function writeRandomPart(offset: number): void {
  if (poolOffset + RANDOM_BYTES > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  writeBase32(pool.readUInt32BE(poolOffset) & 0x3fffffff, 6, offset);
  writeBase32(pool.readUInt32BE(poolOffset + 4) & 0x3fffffff, 6, offset + 6);
  poolOffset += RANDOM_BYTES;
}

/** Writes the time and the next sequence number into `scratch`. */
function writeTimeAndSequence(now: number): void {
  sequence = (sequence + 1) % 0x100000;
  writeBase32(now, 10, 0);
  writeBase32(sequence, 4, 10);
}

/**
 * A new id of the given kind, e.g. `batch_01jd3k...`. Runs get theirs from `createRunId`.
 *
 * @param now the time to encode, injectable for tests.
 */
export function createId(kind: Exclude<IdKind, "run">, now: number = Date.now()): string {
  writeTimeAndSequence(now);
  writeRandomPart(14);
  return `${kind}_${scratch.toString("latin1")}`;
}

/**
 * A new run id for a run of queue `queue`: its queue's hash tag stands in the first 4 random
 * characters, where redis/keys.ts reads it (`runTag`).
 *
 * @param now the time to encode, injectable for tests.
 */
export function createRunId(queue: string, now: number = Date.now()): string {
  writeTimeAndSequence(now);
  writeRandomPart(14);
  scratch.write(queueTag(queue), RUN_TAG_START - "run_".length, "latin1");
  return `run_${scratch.toString("latin1")}`;
}

/** The smallest id of a kind made at or after `time`: a bound for ranges over ids, which sort by time. */
export function idsFrom(kind: IdKind, time: number): string {
  writeBase32(time, 10, 0);
  return `${kind}_${scratch.toString("latin1", 0, 10)}`;
}

/** The creation time (ms since the epoch) encoded in an id made by `createId`. */
export function timeOfId(id: string): number {
  const encoded = id.slice(id.indexOf("_") + 1, id.indexOf("_") + 11);
  let time = 0;
  for (const char of encoded) time = time * 32 + ALPHABET.indexOf(char);
  return time;
}

const ID_SHAPE: Record<IdKind, RegExp> = { run: idPattern("run"), batch: idPattern("batch"), waitpoint: idPattern("waitpoint") };

/** Whether `value` looks like an id of the given kind (used to reject garbage early). */
export function isId(kind: IdKind, value: string): boolean {
  return ID_SHAPE[kind].test(value);
}
