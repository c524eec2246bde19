/**
 * Waitpoint tokens in Redis: creating them, moving them (complete, time out) through the one
 * script that changes a token's state, reading and listing them. Tokens and their indexes share
 * the `{waitpoints}` slot.
 */
import { ConfigurationError } from "../errors/configuration-error.js";
import { WaitpointTimeoutError } from "../errors/waitpoint-timeout-error.js";
import { runScript, scripts } from "../redis/scripts.js";
import { createId, idsFrom, timeOfId } from "./ids.js";
import type { Runtime } from "./runtime.js";
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
    const id = createId("waitpoint", now);
    const [tokenId, cached, timeoutAt] = await runScript<[string, number, string]>(
      client,
      scripts.createToken,
      [keys.token(id), keys.tokensByCreation()],
      [
        keys.waitpointsPrefix(),
        id,
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
    const reply = await runScript<string[]>(
      client,
      scripts.settleToken,
      [keys.token(tokenId), keys.tokensBySettling(), keys.pendingWakes()],
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
    const { keys, client } = this.runtime;
    if (filters.tags && filters.tags.length > 1) {
      throw new ConfigurationError("listTokens filters by one tag at a time.");
    }
    const index = filters.tags?.length ? keys.tokensByTag(filters.tags[0]!) : keys.tokensByCreation();
    const found: TokenRecord[] = [];
    const page = Math.max(filters.limit, 100);
    let offset = 0;
    const newest = filters.to === undefined ? "+" : `(${idsFrom("waitpoint", filters.to + 1)}`;
    const oldest = filters.from === undefined ? "-" : `[${idsFrom("waitpoint", filters.from)}`;
    for (;;) {
      const ids = await client.zrevrangebylex(index, newest, oldest, "LIMIT", offset, page);
      if (ids.length === 0) return found;
      for (const token of await this.read(ids)) {
        if (filters.status && !filters.status.includes(token.status)) continue;
        if (filters.idempotencyKey !== undefined && token.idempotencyKey !== filters.idempotencyKey) continue;
        found.push(token);
        if (found.length === filters.limit) return found;
      }
      offset += ids.length;
    }
  }

  /** Reads tokens by id (missing ones are skipped); a WAITING token past its timeout reads TIMED_OUT. */
  async read(ids: string[]): Promise<TokenRecord[]> {
    const { keys, client } = this.runtime;
    const pipeline = client.pipeline();
    for (const id of ids) pipeline.hgetall(keys.token(id));
    const replies = (await pipeline.exec()) ?? [];
    const now = Date.now();
    const tokens: TokenRecord[] = [];
    replies.forEach(([error, reply], i) => {
      const fields = (error ? {} : reply) as Record<string, string>;
      const { s: stored, t: timeoutAt, d: settledAt, o: output, k: key, g: tags } = fields;
      if (!stored || !timeoutAt) return;
      const status: TokenStatus = stored === "WAITING" && now >= Number(timeoutAt) ? "TIMED_OUT" : (stored as TokenStatus);
      const resultJson = resultJsonOf(ids[i]!, status, output ?? "");
      const result = resultJson === undefined ? undefined : (JSON.parse(resultJson) as WaitResult);
      tokens.push({
        id: ids[i]!,
        status,
        createdAt: timeOfId(ids[i]!),
        timeoutAt: Number(timeoutAt),
        ...(settledAt ? { settledAt: Number(settledAt) } : status === "TIMED_OUT" ? { settledAt: Number(timeoutAt) } : {}),
        ...(key ? { idempotencyKey: key } : {}),
        tags: tags ? (JSON.parse(tags) as string[]) : [],
        ...(result ? { result } : {}),
        runs: waitersOf(fields).map((waiter) => waiter.runId),
      });
    });
    return tokens;
  }
}
