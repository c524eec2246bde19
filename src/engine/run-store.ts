/**
 * Reads and writes a run's record and journal. Each method is one round trip: the executor
 * calls `begin` once per execution after the first (the one journal read), `writeJournal` once
 * per new durable call, and `park`, `retry` or `fail` when an execution ends that way.
 */
import { execOrThrow } from "../redis/transaction.js";
import { decodeJournal, journalField, type JournalEntry } from "./journal.js";
import { runScript, scripts } from "../redis/scripts.js";
import { decodeRecord, encodeWaitingOn, waitResultsOf, type RunRecord, type WaitingOn } from "./run-record.js";
import type { FinalRunStatus } from "./run-status.js";
import type { Runtime } from "./runtime.js";
import type { SerializedError } from "./serialized-error.js";

/** What an attempt starts from. */
export interface BegunAttempt {
  record: RunRecord;
  journal: Map<number, JournalEntry>;
  /** Results of waitpoints the run waited on, by waitpoint id ("" while pending). */
  waitResults: Map<string, string>;
  /** True for the first execution of the run (not a retry, resume or crash recovery). */
  firstStart: boolean;
}

/** Storage of run records and journals. */
export class RunStore {
  constructor(private readonly runtime: Runtime) {}

  /**
   * The start of a run's first execution, read from nothing: a job BullMQ activates for the
   * first time (`attemptsStarted` 1) has never executed, so its journal is empty and it is on
   * attempt 1. No round trip; the start time is written with the run's next record write.
   */
  firstStart(runId: string, queue: string, now: number): BegunAttempt {
    return {
      record: {
        id: runId,
        queue,
        tags: [],
        metadata: {},
        initialMetadata: {},
        attempt: 1,
        startedAt: now,
        waitingOn: [],
        executionMs: 0,
        waiters: [],
        cancelRequested: false,
      },
      journal: new Map(),
      waitResults: new Map(),
      firstStart: true,
    };
  }

  /**
   * Starts a later execution (a resume, a retry, a recovery after a crash, or a run retried by
   * hand from Bull Board): clears how the run ended and any delay it was counted under, and reads
   * the record and journal, in one round trip.
   * What the run waited on stays until the next park or retry replaces it, so the record
   * always describes the job's latest move.
   */
  async begin(runId: string, queue: string, now: number): Promise<BegunAttempt> {
    const { keys, client } = this.runtime;
    const [[firstStart, , fields]] = (await Promise.all([
      execOrThrow(
        client
          .multi()
          .hsetnx(keys.run(runId), "startedAt", String(now))
          .hdel(keys.run(runId), "outcome", "finishedAt")
          .hgetall(keys.run(runId)),
      ),
      client.srem(keys.delays(queue), runId),
    ])) as [[number, number, Record<string, string>], number];
    const record = decodeRecord(runId, queue, fields);
    return { record, journal: decodeJournal(fields), waitResults: waitResultsOf(fields), firstStart: firstStart === 1 };
  }

  /** Writes a journal position once; answers what the position holds afterwards. */
  async writeJournal(runId: string, index: number, encoded: string): Promise<string> {
    const key = this.runtime.keys.run(runId);
    const field = journalField(index);
    const written = await this.runtime.client.hsetnx(key, field, encoded);
    if (written === 1) return encoded;
    return (await this.runtime.client.hget(key, field)) ?? encoded;
  }

  /**
   * Notes that the run is parked on `waitingOn`, marking each waitpoint (token or child run) among
   * them pending unless its result is in; answers how many are pending, or -1 if the run is to be
   * canceled instead.
   */
  async park(run: RunRecord, waitingOn: WaitingOn[], executionMs: number): Promise<number> {
    const waitpoints = waitingOn.flatMap((wait) => (wait.kind === "duration" ? [] : [wait.id]));
    return runScript<number>(this.runtime.client, scripts.parkWaits, [this.runtime.keys.run(run.id)], [
      encodeWaitingOn(waitingOn),
      executionMs,
      run.startedAt ?? Date.now(),
      ...waitpoints,
    ]);
  }

  /** How many waitpoints the run's park still waits for. */
  async pendingWaits(runId: string): Promise<number> {
    return Number((await this.runtime.client.hget(this.runtime.keys.run(runId), "pw")) ?? 0);
  }

  /** Notes a failed attempt that will be retried as attempt `nextAttempt` (backing off, not parked). */
  async retry(run: RunRecord, nextAttempt: number, error: SerializedError, executionMs: number): Promise<void> {
    await Promise.all([
      this.update(run, { attempt: String(nextAttempt), error: JSON.stringify(error), executionMs: String(executionMs) }, ["waitingOn"]),
      this.runtime.client.sadd(this.runtime.keys.delays(run.queue), run.id),
    ]);
  }

  /** Notes that a run that waited out a trigger delay has started. */
  async delayEnded(run: RunRecord): Promise<void> {
    await this.runtime.client.srem(this.runtime.keys.delays(run.queue), run.id);
  }

  /** Notes how a run ended other than COMPLETED. The retention sweeper expires it later. */
  async fail(run: RunRecord, outcome: FinalRunStatus, executionMs: number, error: SerializedError): Promise<void> {
    await this.update(
      run,
      { outcome, finishedAt: String(Date.now()), executionMs: String(executionMs), error: JSON.stringify(error) },
      ["waitingOn"],
    );
  }

  /** Writes record fields (and drops `cleared`), and the start time if the record lacks it, in one transaction. */
  private async update(run: RunRecord, fields: Record<string, string>, cleared: string[] = []): Promise<void> {
    const key = this.runtime.keys.run(run.id);
    const multi = this.runtime.client.multi().hset(key, fields);
    if (cleared.length > 0) multi.hdel(key, ...cleared);
    if (run.startedAt !== undefined) multi.hsetnx(key, "startedAt", String(run.startedAt));
    await execOrThrow(multi);
  }

  /** The record of run `runId` of queue `queue` (that of a run not yet executed if it has none). */
  async read(runId: string, queue: string): Promise<RunRecord> {
    return decodeRecord(runId, queue, await this.runtime.client.hgetall(this.runtime.keys.run(runId)));
  }
}
