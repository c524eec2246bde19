/**
 * What an executing run's durable calls on waitpoints need from Redis: making tokens (keys
 * scoped to the run), reading a token (timing it out when due) or a child run, recording a
 * settled result in the run's hash, taking a value from one of its input streams, and reserving
 * keyed waits.
 */
import { runScript, scripts } from "../redis/scripts.js";
import { runResult } from "./child-runs.js";
import { idempotencyKeyHash, type CallingRun } from "./idempotency-key.js";
import { viewRun } from "./run-reader.js";
import type { Runtime } from "./runtime.js";
import { requireSecretKey } from "./token-credentials.js";
import { tokenRequest, type CreateTokenOptions } from "./token-options.js";
import { tokenHandle, wakeTokenWaiters, type WaitpointToken } from "./tokens.js";
import { settleRunWait } from "./waking.js";
import { WaitpointStore, type TokenState, type WaitResult } from "./waitpoint-store.js";

/** Waitpoint services of one executing run. */
export class RunWaitpoints {
  private readonly store: WaitpointStore;

  constructor(
    private readonly runtime: Runtime,
    private readonly caller: CallingRun,
    /** The run's queue. */
    private readonly queue: string,
  ) {
    this.store = new WaitpointStore(runtime);
  }

  /** Makes a token (or finds the one its key names). */
  createToken(options: CreateTokenOptions | undefined): Promise<{ id: string; isCached: boolean; timeoutAt: number }> {
    requireSecretKey(this.runtime.settings.secretKey, "wait.createToken");
    const now = Date.now();
    return this.store.create(tokenRequest(options, this.caller, now), now);
  }

  /** The handle of a token the run made. */
  handle(tokenId: string, timeoutAt: number, isCached: boolean): Promise<WaitpointToken> {
    return tokenHandle(this.runtime, tokenId, timeoutAt, isCached);
  }

  /** A token's state, timed out first if due; undefined for no such token. */
  checkToken(tokenId: string): Promise<TokenState | undefined> {
    return this.store.settle(tokenId, "check");
  }

  /** A child run's queue and, if it has ended, its result; undefined for no such run. */
  async checkRun(runId: string): Promise<{ queue: string; result: WaitResult | undefined } | undefined> {
    const view = await viewRun(this.runtime, runId);
    return view ? { queue: view.record.queue, result: runResult(view) } : undefined;
  }

  /** Records the result `resultJson` for `waitpointId` in the run's hash (once) and answers (the JSON of) what the run holds. */
  async recordResult(waitpointId: string, resultJson: string): Promise<string> {
    return (await settleRunWait(this.runtime, { runId: this.caller.runId, queue: this.queue }, waitpointId, resultJson)).held ?? resultJson;
  }

  /**
   * Takes the oldest value sent to the run's input stream `streamId` as the result of the
   * wait backed by `waitpointId`; undefined (and the stream linked to the wait) when none is buffered.
   */
  async takeFromStream(streamId: string, waitpointId: string): Promise<WaitResult | undefined> {
    const { keys, client } = this.runtime;
    const [state, result] = await runScript<[string, string?]>(client, scripts.streamWait, [keys.run(this.caller.runId), keys.stream(this.caller.runId, streamId)], [
      streamId,
      waitpointId,
    ]);
    return state === "settled" ? (JSON.parse(result!) as WaitResult) : undefined;
  }

  /** Marks the token behind a stream wait COMPLETED with the value the run took, for listings. */
  async completeStreamToken(tokenId: string, output: unknown): Promise<void> {
    const state = await this.store.settle(tokenId, "complete", { output });
    if (state?.moved) await wakeTokenWaiters(this.runtime, tokenId, state);
  }

  /**
   * The end of a keyed wait: the one stored under the key if another wait (of this run, or
   * any run for a global key) reserved it within its TTL, else `until`, now reserved.
   */
  async reserveWaitKey(key: string, until: number, ttlMs: number): Promise<number> {
    const stored = await this.runtime.client.set(
      this.runtime.keys.waitIdempotency(idempotencyKeyHash(key, this.caller)),
      String(until),
      "PX",
      ttlMs,
      "NX",
      "GET",
    );
    return stored === null ? until : Number(stored);
  }
}
