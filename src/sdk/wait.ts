/**
 * Durable waits and waitpoint tokens. A wait that has not ended parks the run: the job moves to
 * BullMQ's delayed set, the worker slot is freed, and the run resumes (on any worker) when the
 * wait ends — the time passes, or the token is completed or times out.
 */
import { z } from "zod";
import { ConfigurationError } from "../errors/configuration-error.js";
import { WaitpointNotFoundError } from "../errors/waitpoint-not-found-error.js";
import { WaitpointTimeoutError } from "../errors/waitpoint-timeout-error.js";
import { checkOptions, oneOrMany } from "../engine/check-options.js";
import { durationObjectToMs, parseDuration, type DurationObject } from "../engine/duration.js";
import { RunContext, type SettledWaitpoint, type WaitKey } from "../engine/run-context.js";
import { runtime } from "../engine/runtime.js";
import type { CreateTokenOptions } from "../engine/token-options.js";
import {
  completeToken,
  createToken,
  listTokens,
  retrieveToken,
  type CompletionResult,
  type TokenDetails,
  type WaitpointToken,
} from "../engine/tokens.js";
import { TOKEN_STATUSES, type TokenStatus } from "../engine/waitpoint-store.js";
import { unwrappable, unwrappablePromise, type Unwrapped, type UnwrappedPromise } from "./unwrap.js";

/** Options that make a wait keyed: the same key within its TTL shares one end time. */
export interface WaitIdempotencyOptions {
  /** A wait whose key was already waited out (within the TTL) resolves at once. Inside a run a plain string is scoped to the run. */
  idempotencyKey?: string;
  /** How long the key holds, as a duration. Default "1h". */
  idempotencyKeyTTL?: string;
}

/** Options of `wait.until`. */
export interface WaitUntilOptions extends WaitIdempotencyOptions {
  /** When to resume. A date already past resolves at once. */
  date: Date;
}

/**
 * How a wait on a token ended. `ok: false` means it timed out. `unwrap()` gives the output or
 * throws the error.
 */
export type WaitpointResult<T> = Unwrapped<WaitpointOutcome<T>>;

/** How a wait on a token ended, before `unwrap()` is added. */
export type WaitpointOutcome<T> = { ok: true; output: T } | { ok: false; error: WaitpointTimeoutError | WaitpointNotFoundError };

/** What `wait.forToken` returns: the result, and `.unwrap()` for the output or a thrown timeout. */
export type WaitpointPromise<T> = UnwrappedPromise<WaitpointOutcome<T>>;

/** Filters of `wait.listTokens`. */
export interface ListTokensOptions {
  status?: TokenStatus | TokenStatus[];
  /** Tokens carrying this tag. */
  tags?: string | string[];
  idempotencyKey?: string;
  /** Created at or after. */
  from?: Date;
  /** Created at or before. */
  to?: Date;
  /** At most this many, newest first. Default 50, at most 1000. */
  limit?: number;
}

const listOptionsSchema = z
  .object({
    status: oneOrMany(z.enum(TOKEN_STATUSES)).optional(),
    tags: oneOrMany(z.string()).pipe(z.array(z.string()).max(1, "filter by one tag at a time")).optional(),
    idempotencyKey: z.string().optional(),
    from: z.date().optional(),
    to: z.date().optional(),
    limit: z.number().int().min(1).max(1_000).optional(),
  })
  .strict();

function waitKey(options: WaitIdempotencyOptions): WaitKey | undefined {
  if (options.idempotencyKey === undefined) return undefined;
  if (typeof options.idempotencyKey !== "string" || options.idempotencyKey.length === 0) {
    throw new ConfigurationError("idempotencyKey must be a non-empty string.");
  }
  return { key: options.idempotencyKey, ttlMs: parseDuration(options.idempotencyKeyTTL ?? "1h", "idempotencyKeyTTL") };
}

function tokenIdOf(tokenOrId: string | { id: string }): string {
  const id = typeof tokenOrId === "string" ? tokenOrId : tokenOrId?.id;
  if (typeof id !== "string") throw new ConfigurationError("Pass a token or a token id (waitpoint_…).");
  return id;
}

/** Turns a settled wait on a waitpoint into what `forToken` (or a stream's `.wait()`) resolves with. */
export function toWaitpointPromise<T>(pending: Promise<SettledWaitpoint>): WaitpointPromise<T> {
  return unwrappablePromise(
    pending.then(({ waitpointId, result: settled }) => {
      if (settled.ok) return unwrappable<WaitpointOutcome<T>>({ ok: true, output: settled.output as T });
      const missing = settled.error.code === "WAITPOINT_NOT_FOUND";
      return unwrappable<WaitpointOutcome<T>>({ ok: false, error: missing ? new WaitpointNotFoundError(waitpointId) : new WaitpointTimeoutError(waitpointId) });
    }),
  );
}

/** Durable waits and waitpoint tokens. */
export const wait = {
  /**
   * Parks the run for a duration. Survives worker restarts and crashes; costs no worker slot.
   *
   * @example await wait.for({ seconds: 30 });
   */
  for(options: DurationObject & WaitIdempotencyOptions): Promise<void> {
    const ms = durationObjectToMs(options, "wait.for");
    const key = waitKey(options);
    return RunContext.current("wait.for()").wait("for", Date.now() + ms, key);
  },

  /**
   * Parks the run until a date. A date already in the past resolves at once — it does not
   * skip what follows, so check the date yourself if a late run should do nothing.
   *
   * @example await wait.until({ date: trialEndsAt });
   */
  until(options: WaitUntilOptions): Promise<void> {
    const date = options?.date;
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
      throw new ConfigurationError(`wait.until needs { date: Date } with a valid date; got ${String(date)}.`);
    }
    return RunContext.current("wait.until()").wait("until", date.getTime(), waitKey(options));
  },

  /**
   * Creates a waitpoint token to hand out: `url` for a server's callback, `publicAccessToken`
   * for a browser, the `id` for your own code. Inside a run it is journaled, so a replay or a
   * retry gets the same token back (`isCached: true`). Needs the secret key, which signs both.
   *
   * @example const token = await wait.createToken({ timeout: "48h", tags: ["refund"] });
   */
  async createToken(options?: CreateTokenOptions): Promise<WaitpointToken> {
    const context = RunContext.find("wait.createToken()");
    return context ? context.createToken(options) : createToken(runtime(), options);
  },

  /**
   * Parks the run until the token is completed (`{ ok: true, output }`) or times out
   * (`{ ok: false, error }`); `.unwrap()` gives the output or throws WaitpointTimeoutError. A
   * token completed before this call resumes at once. Several at once (`Promise.all`) park once.
   *
   * @example const { decision } = await wait.forToken<{ decision: "approve" | "reject" }>(token).unwrap();
   */
  forToken<T = unknown>(tokenOrId: string | { id: string }): WaitpointPromise<T> {
    const id = tokenIdOf(tokenOrId);
    return toWaitpointPromise<T>(RunContext.current(() => `wait.forToken(${JSON.stringify(id)})`).forToken(id));
  },

  /**
   * Completes a token with `output`, waking every run parked on it — from anywhere with a Redis
   * connection. A token completes once: a later call changes nothing and says `completed: false`.
   *
   * @example await wait.completeToken(approval.tokenId, { decision: "approve" });
   */
  async completeToken(tokenOrId: string | { id: string }, output?: unknown): Promise<CompletionResult> {
    return completeToken(runtime(), tokenIdOf(tokenOrId), output);
  },

  /** A token's status, times, output or error, tags. Throws WaitpointNotFoundError for an unknown id. */
  async retrieveToken(tokenOrId: string | { id: string }): Promise<TokenDetails> {
    return retrieveToken(runtime(), tokenIdOf(tokenOrId));
  },

  /** Tokens by status, tag, idempotency key and creation time, newest first. */
  async listTokens(options: ListTokensOptions = {}): Promise<TokenDetails[]> {
    const checked = checkOptions(listOptionsSchema, options, "listTokens options");
    return listTokens(runtime(), {
      ...(checked.status ? { status: checked.status } : {}),
      ...(checked.tags ? { tags: checked.tags } : {}),
      ...(checked.idempotencyKey !== undefined ? { idempotencyKey: checked.idempotencyKey } : {}),
      ...(checked.from ? { from: checked.from.getTime() } : {}),
      ...(checked.to ? { to: checked.to.getTime() } : {}),
      limit: checked.limit ?? 50,
    });
  },
};
