/**
 * Where a waitpoint token lives in Redis. Tokens are kept 32 to a hash, a bucket, in the order
 * Redis numbers them as they are made: a parked run's token costs a field in Redis's compact
 * listpack encoding instead of a key of its own and an entry in an index of all tokens, and the
 * buckets, walked from the newest down, are that index.
 *
 * A token id says where it lives: `waitpoint_`, then the creation time (10 characters), bucket
 * (7) and slot in the bucket (1), then random characters (8), all Crockford base32 like every
 * id (engine/ids.ts); 7 characters number buckets for 2^40 tokens. The client makes the time and
 * the random characters; create-token-1.lua numbers the token and fills in bucket and slot (the
 * Lua side of this layout is `scripts/includes/token-buckets.lua`). In its bucket a token is the
 * field named by its id's time, slot and random characters, holding
 * `<E|W|C|T><times out at>[ <settled at>]`: E and W are both WAITING, E before any run registered
 * as its waiter (so settling it reads no waiters); C is COMPLETED, T TIMED_OUT. The first run to
 * wait on it is the field
 * `<its slot><run id>` of the bucket's waiters hash (a slot is never used twice), so settling a
 * token scans at most 32 waiters of other tokens, however many runs wait on one of them; further
 * runs are `r:<run id>` fields of the token's details hash.
 */
import { toBase32 } from "../redis/base32.js";
import { createId } from "./ids.js";
import type { TokenStatus } from "./waitpoint-store.js";

/** Tokens per bucket: small enough that a bucket stays a listpack (Redis's default allows 128 fields). */
export const TOKENS_PER_BUCKET = 32;

const STATUS_BY_LETTER: Record<string, TokenStatus> = { E: "WAITING", W: "WAITING", C: "COMPLETED", T: "TIMED_OUT" };

/** A token's state as its bucket holds it. */
export interface StoredTokenState {
  status: TokenStatus;
  timeoutAt: number;
  /** When it completed or timed out; absent while WAITING. */
  settledAt?: number;
}

/** The parts of a new token's id that the client makes: head (`waitpoint_` and time) and tail (random). */
export function tokenIdParts(now: number): { head: string; tail: string } {
  const id = createId("waitpoint", now);
  return { head: id.slice(0, 20), tail: id.slice(-8) };
}

/** The name of token `id`'s field in its bucket. */
export function tokenField(id: string): string {
  return id.slice(10, 20) + id.slice(27);
}

/** The bucket token `id` lives in. */
export function tokenBucket(id: string): string {
  return id.slice(20, 27);
}

/** The slot of token `id` in its bucket: one character, which names it among the bucket's waiters. */
export function tokenSlot(id: string): string {
  return id.charAt(27);
}

/** The id of the token in field `field` of bucket `bucket`. */
export function tokenIdOf(bucket: string, field: string): string {
  return `waitpoint_${field.slice(0, 10)}${bucket}${field.slice(10)}`;
}

/** The name of bucket number `bucket`. */
export function bucketName(bucket: number): string {
  return toBase32(bucket, 7);
}

/** The bucket number the token numbered `count` (the count of tokens made before it) goes to. */
export function bucketOfCount(count: number): number {
  return Math.floor(count / TOKENS_PER_BUCKET);
}

/** Reads a state stored in a bucket; undefined for anything else. */
export function decodeTokenState(stored: string): StoredTokenState | undefined {
  const match = /^([EWCT])(\d+)(?: (\d+))?$/.exec(stored);
  if (!match) return undefined;
  return {
    status: STATUS_BY_LETTER[match[1]!]!,
    timeoutAt: Number(match[2]),
    ...(match[3] !== undefined ? { settledAt: Number(match[3]) } : {}),
  };
}
