/**
 * Waitpoint tokens in Redis: creating them, moving them (complete, time out) through the one
 * script that changes a token's state, reading and listing them. Tokens live 32 to a bucket
 * (engine/token-buckets.ts); they, their waiters and indexes share the `{waitpoints}` slot.
 */
import { ConfigurationError } from "../errors/configuration-error.js";
import { WaitpointTimeoutError } from "../errors/waitpoint-timeout-error.js";
import { runScript, runScriptItem, scripts } from "../redis/scripts.js";
import { idsFrom, timeOfId } from "./ids.js";
import type { Runtime } from "./runtime.js";
import { bucketName, bucketOfCount, decodeTokenState, tokenBucket, tokenField, tokenIdOf, tokenIdParts, tokenSlot, type StoredTokenState } from "./token-buckets.js";
import { encodeWaiter, waitersFromPairs, waitersOf, type Waiter } from "./waiter.js";
import { serializeError, type SerializedError } from "./serialized-error.js";

/** Every status a token can have. */
export const TOKEN_STATUSES = ["WAITING", "COMPLETED", "TIMED_OUT"] as const;

/** A token's status. */
export type TokenStatus = (typeof TOKEN_STATUSES)[number];

/** How a wait on a waitpoint ended: the output, or (for a timeout) the error. */
export type WaitResult = { ok: true; output: unknown } | { ok: false; error: SerializedError };

/** A token's state as the settle script reports it. */
export interface TokenState {
  status: TokenStatus;
  timeoutAt: number;
  /** The result's JSON (`WaitResult`), once settled. */
  resultJson?: string;
  /** Whether this call settled it. */
  moved: boolean;
  /** The runs registered as waiting on it, once settled. */
  waiters: Waiter[];
}

/** A token as `wait.retrieveToken` and `wait.listTokens` read it (without its URL). */
export interface TokenRecord {
  id: string;
  status: TokenStatus;
  createdAt: number;
  timeoutAt: number;
  settledAt?: number;
  idempotencyKey?: string;
  tags: string[];
  result?: WaitResult;
  /** The runs that parked on it. */
  runs: string[];
}

/** What `create` needs. */
export interface NewToken {
  timeoutMs: number;
  /** Hash of the scoped idempotency key, and the key as given. */
  idempotency?: { hash: string; key: string; ttlMs: number };
  tags: string[];
}

/** Filters of `list`. */
export interface TokenFilters {
  status?: TokenStatus[];
  tags?: string[];
  idempotencyKey?: string;
  from?: number;
  to?: number;
  limit: number;
}

/** Buckets read per round trip when listing. */
const BUCKETS_PER_READ = 8;

/** A token's status when read at `now`: a WAITING token past its timeout reads TIMED_OUT. */
function statusAt(state: StoredTokenState, now: number): TokenStatus {
  return state.status === "WAITING" && now >= state.timeoutAt ? "TIMED_OUT" : state.status;
}

/** The JSON of the result of a wait that failed with `error`. */
export function failureJson(error: Error): string {
  const result: WaitResult = { ok: false, error: serializeError(error) };
  return JSON.stringify(result);
}

/**
 * The JSON of a settled token's `WaitResult`, from its stored output JSON ("" for none), built
 * around the output rather than parsed and written again: an output can be large.
 */
function resultJsonOf(tokenId: string, status: TokenStatus, output: string): string | undefined {
  if (status === "COMPLETED") return output === "" ? '{"ok":true}' : `{"ok":true,"output":${output}}`;
  if (status === "TIMED_OUT") return failureJson(new WaitpointTimeoutError(tokenId));
  return undefined;
}

/** Waitpoint tokens of one prefix. */
export class WaitpointStore {
  constructor(private readonly runtime: Runtime) {}

  /** Creates a token, or returns the live one its idempotency key names (`isCached`). */
  async create(token: NewToken, now = Date.now()): Promise<{ id: string; isCached: boolean; timeoutAt: number }> {
    const { keys, client } = this.runtime;
    const { head, tail } = tokenIdParts(now);
    const [tokenId, cached, timeoutAt] = await runScript<[string, number, string]>(
      client,
      scripts.createToken,
      [keys.tokenCount()],
      [
        keys.waitpointsPrefix(),
        head,
        tail,
        now + token.timeoutMs,
        token.idempotency?.hash ?? "",
        token.idempotency?.key ?? "",
        token.idempotency?.ttlMs ?? 0,
        JSON.stringify(token.tags),
        ...token.tags,
      ],
    );
    return { id: tokenId, isCached: cached === 1, timeoutAt: Number(timeoutAt) };
  }

  /**
   * Reads a token, timing it out if it is due (at `now`, default the clock); in mode "wait" also
   * registers `waiter`, "complete" completes it with `output`, "timeout" times it out.
   * Undefined for no such token.
   */
  async settle(
    tokenId: string,
    mode: "check" | "wait" | "complete" | "timeout",
    options: { output?: unknown; waiter?: Waiter; now?: number } = {},
  ): Promise<TokenState | undefined> {
    const { keys, client } = this.runtime;
    let output = "";
    if (mode === "complete") {
      output = JSON.stringify(options.output) ?? "null";
    }
    const reply = await runScriptItem<string[]>(
      client,
      scripts.settleTokens,
      [keys.tokensBySettling(), keys.pendingWakes()],
      [keys.waitpointsPrefix()],
      [
        tokenId,
        options.now ?? Date.now(),
        mode,
        output,
        options.waiter?.runId ?? "",
        options.waiter ? encodeWaiter(options.waiter) : "",
      ],
    );
    if (reply[0] === "missing") return undefined;
    const [status, timeoutAt, , storedOutput, movedFlag, ...rest] = reply as [TokenStatus, string, string, string, string, ...string[]];
    const moved = Number(movedFlag) === 1;
    const resultJson = resultJsonOf(tokenId, status, moved && mode === "complete" ? output : storedOutput);
    return { status, timeoutAt: Number(timeoutAt), ...(resultJson ? { resultJson } : {}), moved, waiters: waitersFromPairs(rest) };
  }

  /** A token, timing it out first if it is due; undefined for no such token. */
  async retrieve(tokenId: string): Promise<TokenRecord | undefined> {
    if (!(await this.settle(tokenId, "check"))) return undefined;
    return this.read([tokenId]).then((tokens) => tokens[0]);
  }

  /** Tokens matching `filters`, newest first. */
  async list(filters: TokenFilters): Promise<TokenRecord[]> {
    if (filters.tags && filters.tags.length > 1) {
      throw new ConfigurationError("listTokens filters by one tag at a time.");
    }
    const found: TokenRecord[] = [];
    const pages = filters.tags?.length ? this.taggedIds(filters.tags[0]!, filters) : this.bucketIds(filters);
    for await (const ids of pages) {
      for (const token of await this.read(ids)) {
        if (filters.status && !filters.status.includes(token.status)) continue;
        if (filters.idempotencyKey !== undefined && token.idempotencyKey !== filters.idempotencyKey) continue;
        found.push(token);
        if (found.length === filters.limit) return found;
      }
    }
    return found;
  }

  /** Pages of the ids of the tokens carrying `tag` in the filters' time range, newest first. */
  private async *taggedIds(tag: string, filters: TokenFilters): AsyncGenerator<string[]> {
    const newest = filters.to === undefined ? "+" : `(${idsFrom("waitpoint", filters.to + 1)}`;
    const oldest = filters.from === undefined ? "-" : `[${idsFrom("waitpoint", filters.from)}`;
    const page = Math.max(filters.limit, 100);
    for (let offset = 0; ; offset += page) {
      const ids = await this.runtime.client.zrevrangebylex(this.runtime.keys.tokensByTag(tag), newest, oldest, "LIMIT", offset, page);
      if (ids.length === 0) return;
      yield ids;
    }
  }

  /**
   * Pages of the ids of the tokens in the filters' time range and of a status asked for, newest
   * first: the buckets from the newest down, a few per round trip. Buckets follow the order Redis
   * numbered the tokens in, which is their ids' order unless the clocks of the processes making
   * them disagree; the walk starts a read above the newest bucket holding a token made by `to`,
   * and stops at the first read of buckets whose tokens are all older than `from` (emptied
   * buckets do not stop it).
   */
  private async *bucketIds(filters: TokenFilters): AsyncGenerator<string[]> {
    const { first, last } = await this.bucketRange();
    const now = Date.now();
    const start = filters.to === undefined ? last : Math.min(last, (await this.newestBucketBy(filters.to, first, last)) + BUCKETS_PER_READ);
    for (let top = start; top >= first; top -= BUCKETS_PER_READ) {
      const tokens = (await this.readBuckets(Math.max(first, top - BUCKETS_PER_READ + 1), top)).reverse();
      const ids: string[] = [];
      let older = 0;
      for (const { id, state } of tokens) {
        const createdAt = timeOfId(id);
        if (filters.from !== undefined && createdAt < filters.from) older += 1;
        else if (filters.to !== undefined && createdAt > filters.to) continue;
        else if (!filters.status || filters.status.includes(statusAt(state, now))) ids.push(id);
      }
      if (ids.length > 0) yield ids;
      if (older > 0 && older === tokens.length) return;
    }
  }

  /**
   * The newest of buckets `first` to `last` holding a token made at or before `time` (`first`
   * when none does), by bisection: each probe reads the middle bucket (and, past emptied ones, the
   * next up to the first that holds tokens) and compares its oldest token's time.
   */
  private async newestBucketBy(time: number, first: number, last: number): Promise<number> {
    let [low, high] = [first, last];
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      let oldest: number | undefined;
      for (let from = middle, count = 1; oldest === undefined && from <= high; from += count, count = BUCKETS_PER_READ) {
        const tokens = await this.readBuckets(from, Math.min(high, from + count - 1));
        const lowest = tokens[0] && tokenBucket(tokens[0].id);
        if (lowest) oldest = Math.min(...tokens.filter(({ id }) => tokenBucket(id) === lowest).map(({ id }) => timeOfId(id)));
      }
      if (oldest !== undefined && oldest <= time) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** The bucket numbers that may hold tokens: from the floor to the newest (none when `first > last`). */
  async bucketRange(): Promise<{ first: number; last: number }> {
    const { keys, client } = this.runtime;
    const [count, floor] = (await client.mget(keys.tokenCount(), keys.tokenFloor())).map(Number) as [number, number];
    return { first: floor, last: count === 0 ? -1 : bucketOfCount(count - 1) };
  }

  /** The tokens in buckets `first` to `last`, in the order of their ids within each bucket, oldest bucket first. */
  async readBuckets(first: number, last: number): Promise<{ id: string; state: StoredTokenState }[]> {
    const { keys, client } = this.runtime;
    const pipeline = client.pipeline();
    const names: string[] = [];
    for (let bucket = first; bucket <= last; bucket += 1) {
      const name = bucketName(bucket);
      names.push(name);
      pipeline.hgetall(keys.tokenBucket(name));
    }
    const replies = (await pipeline.exec()) ?? [];
    return names.flatMap((bucket, i) =>
      Object.entries((replies[i]?.[1] ?? {}) as Record<string, string>)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .flatMap(([field, stored]) => {
          const state = decodeTokenState(stored);
          return state ? [{ id: tokenIdOf(bucket, field), state }] : [];
        }),
    );
  }

  /** Reads tokens by id (missing ones are skipped); a WAITING token past its timeout reads TIMED_OUT. */
  async read(ids: string[]): Promise<TokenRecord[]> {
    const { keys, client } = this.runtime;
    const buckets = [...new Set(ids.map(tokenBucket))];
    const pipeline = client.pipeline();
    for (const id of ids) pipeline.hget(keys.tokenBucket(tokenBucket(id)), tokenField(id)).hgetall(keys.token(id));
    for (const bucket of buckets) pipeline.hgetall(keys.tokenWaiters(bucket));
    const replies = ((await pipeline.exec()) ?? []).map(([error, reply]) => (error ? undefined : reply));
    /** The first run waiting on each token, by bucket and slot. */
    const firstWaiters = new Map<string, string>();
    buckets.forEach((bucket, i) => {
      for (const field of Object.keys((replies[2 * ids.length + i] ?? {}) as Record<string, string>)) firstWaiters.set(bucket + field.charAt(0), field.slice(1));
    });
    const now = Date.now();
    const tokens: TokenRecord[] = [];
    ids.forEach((id, i) => {
      const state = typeof replies[2 * i] === "string" ? decodeTokenState(replies[2 * i] as string) : undefined;
      if (!state) return;
      const details = (replies[2 * i + 1] ?? {}) as Record<string, string>;
      const { o: output, k: key, g: tags } = details;
      const status = statusAt(state, now);
      const resultJson = resultJsonOf(id, status, output ?? "");
      const result = resultJson === undefined ? undefined : (JSON.parse(resultJson) as WaitResult);
      const settledAt = state.settledAt ?? (status === "TIMED_OUT" ? state.timeoutAt : undefined);
      tokens.push({
        id,
        status,
        createdAt: timeOfId(id),
        timeoutAt: state.timeoutAt,
        ...(settledAt !== undefined ? { settledAt } : {}),
        ...(key ? { idempotencyKey: key } : {}),
        tags: tags ? (JSON.parse(tags) as string[]) : [],
        ...(result ? { result } : {}),
        runs: [firstWaiters.get(tokenBucket(id) + tokenSlot(id)) ?? [], waitersOf(details).map((waiter) => waiter.runId)].flat(),
      });
    });
    return tokens;
  }
}
