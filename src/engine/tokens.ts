/**
 * Waitpoint tokens as users handle them: a new token with its callback URL and public access
 * token, completing one from anywhere (waking every run parked on it), reading and listing.
 */
import { WaitpointNotFoundError } from "../errors/waitpoint-not-found-error.js";
import { isId } from "./ids.js";
import type { CallingRun } from "./idempotency-key.js";
import type { Runtime } from "./runtime.js";
import type { SerializedError } from "./serialized-error.js";
import { publicAccessToken, requireSecretKey, tokenCallbackUrl } from "./token-credentials.js";
import { tokenRequest, type CreateTokenOptions } from "./token-options.js";
import { wakeAndClear } from "./waking.js";
import { WaitpointStore, type TokenFilters, type TokenRecord, type TokenState, type TokenStatus } from "./waitpoint-store.js";

/** A new (or cached) token and the two handles that complete it. */
export interface WaitpointToken {
  /** `waitpoint_…` */
  id: string;
  /** POST JSON here (server to server, no CORS) to complete the token with that JSON. */
  url: string;
  /** A Bearer token, for browsers, that may complete this token only, until it times out. */
  publicAccessToken: string;
  /** True when an idempotency key (or a replay of the run) returned a token made earlier. */
  isCached: boolean;
}

/** A token as `wait.retrieveToken` and `wait.listTokens` return it. */
export interface TokenDetails {
  id: string;
  /** The callback URL; present where this process has the secret key that signs it. */
  url?: string;
  status: TokenStatus;
  createdAt: Date;
  timeoutAt: Date;
  /** When it was completed (COMPLETED) or timed out (TIMED_OUT). */
  completedAt?: Date;
  idempotencyKey?: string;
  tags: string[];
  /** What completed it. */
  output?: unknown;
  /** Why it did not complete: a WaitpointTimeoutError. */
  error?: SerializedError;
  /** The runs that parked on it (parked now, while it is WAITING). */
  runs: string[];
}

/** What `wait.completeToken` returns. */
export interface CompletionResult {
  id: string;
  /** True for the one call that completed the token; false when it had already settled. */
  completed: boolean;
  /** The token's status after the call. */
  status: TokenStatus;
}

/** What `timeoutToken` returns. */
export interface TimeoutResult {
  id: string;
  /** True for the one call that timed the token out; false when it had already settled. */
  timedOut: boolean;
  /** The token's status after the call. */
  status: TokenStatus;
}

/** Handles made lately, per runtime: a replay of `wait.createToken` in the same process need not sign again. */
const handles = new WeakMap<Runtime, Map<string, Omit<WaitpointToken, "isCached">>>();
const HANDLES_KEPT = 10_000;

/** The handle of token `id`: its URL and public access token are derived from the id and timeout. */
export async function tokenHandle(runtime: Runtime, id: string, timeoutAt: number, isCached: boolean): Promise<WaitpointToken> {
  const secretKey = requireSecretKey(runtime.settings.secretKey, "wait.createToken");
  let made = handles.get(runtime);
  if (!made) handles.set(runtime, (made = new Map()));
  let handle = made.get(id);
  if (!handle) {
    handle = { id, url: tokenCallbackUrl(runtime.settings.publicUrl, secretKey, id), publicAccessToken: await publicAccessToken(secretKey, id, timeoutAt) };
    if (made.size >= HANDLES_KEPT) made.delete(made.keys().next().value!);
    made.set(id, handle);
  }
  return { ...handle, isCached };
}

/** Creates a token (scoping its idempotency key to `caller` when made inside a run). */
export async function createToken(runtime: Runtime, options: CreateTokenOptions | undefined, caller?: CallingRun): Promise<WaitpointToken> {
  requireSecretKey(runtime.settings.secretKey, "wait.createToken");
  const now = Date.now();
  const created = await new WaitpointStore(runtime).create(tokenRequest(options, caller, now), now);
  return tokenHandle(runtime, created.id, created.timeoutAt, created.isCached);
}

/**
 * Wakes the runs waiting on a token a call just settled (see `wakeAndClear`). A token without
 * waiters has no pending wake-up, so there is nothing to clear either.
 */
export async function wakeTokenWaiters(runtime: Runtime, tokenId: string, state: TokenState): Promise<void> {
  if (state.waiters.length > 0 && state.resultJson) await wakeAndClear(runtime, tokenId, state.resultJson, state.waiters);
}

/** Completes or times out a token, once, waking the runs parked on it; a settled token is left as it is. */
async function settleToken(runtime: Runtime, tokenId: string, mode: "complete" | "timeout", output?: unknown): Promise<TokenState> {
  const state = isId("waitpoint", tokenId) ? await new WaitpointStore(runtime).settle(tokenId, mode, { output }) : undefined;
  if (!state) throw new WaitpointNotFoundError(tokenId);
  if (state.moved) await wakeTokenWaiters(runtime, tokenId, state);
  return state;
}

/** Completes a token once; the runs parked on it wake. A settled token is left as it is. */
export async function completeToken(runtime: Runtime, tokenId: string, output: unknown): Promise<CompletionResult> {
  const state = await settleToken(runtime, tokenId, "complete", output);
  return { id: tokenId, completed: state.moved && state.status === "COMPLETED", status: state.status };
}

/** Times a WAITING token out now, as if its timeout had passed; the runs parked on it wake with `ok: false`. */
export async function timeoutToken(runtime: Runtime, tokenId: string): Promise<TimeoutResult> {
  const state = await settleToken(runtime, tokenId, "timeout");
  return { id: tokenId, timedOut: state.moved && state.status === "TIMED_OUT", status: state.status };
}

function details(runtime: Runtime, token: TokenRecord): TokenDetails {
  const secretKey = runtime.settings.secretKey;
  return {
    id: token.id,
    ...(secretKey ? { url: tokenCallbackUrl(runtime.settings.publicUrl, secretKey, token.id) } : {}),
    status: token.status,
    createdAt: new Date(token.createdAt),
    timeoutAt: new Date(token.timeoutAt),
    ...(token.settledAt !== undefined ? { completedAt: new Date(token.settledAt) } : {}),
    ...(token.idempotencyKey !== undefined ? { idempotencyKey: token.idempotencyKey } : {}),
    tags: token.tags,
    ...(token.result?.ok ? { output: token.result.output } : {}),
    ...(token.result && !token.result.ok ? { error: token.result.error } : {}),
    runs: token.runs,
  };
}

/** Reads a token; throws WaitpointNotFoundError when there is none with this id. */
export async function retrieveToken(runtime: Runtime, tokenId: string): Promise<TokenDetails> {
  const token = isId("waitpoint", tokenId) ? await new WaitpointStore(runtime).retrieve(tokenId) : undefined;
  if (!token) throw new WaitpointNotFoundError(tokenId);
  return details(runtime, token);
}

/** Tokens matching the filters, newest first. */
export async function listTokens(runtime: Runtime, filters: TokenFilters): Promise<TokenDetails[]> {
  return (await new WaitpointStore(runtime).list(filters)).map((token) => details(runtime, token));
}
