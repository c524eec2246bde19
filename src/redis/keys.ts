/**
 * The one place that names Redis keys. Every key sits under the configured prefix and carries
 * a hash tag, so each multi-key command touches one Redis Cluster slot:
 *
 * - a queue's keys, BullMQ's and durabull's, and the keys of its runs share the queue's tag, four
 *   characters made from its name (`queueTag`): `<prefix>:{<tag>}:bull:<queue>:wait` (BullMQ's,
 *   via its own prefix), `<prefix>:{<tag>}:queue:<queue>:retention-cursor`, ...,
 *   `<prefix>:{<tag>}:run_…` (a run's record, journal and wait results, one hash, named by the
 *   run id alone) and `<prefix>:{<tag>}:run_…:stream:<id>` (its input buffers). A run id carries
 *   its queue's tag (engine/ids.ts), so a run's keys are named from its id alone; a job id that is
 *   not a run id (a job added to the queue by hand) is its keys' tag itself.
 * - waitpoint tokens (kept 32 to a hash), their waiters and indexes share the tag `{waitpoints}`,
 *   so every token move is one script; Lua builds keys it finds as it goes from
 *   `waitpointsPrefix()`, as BullMQ does for jobs
 * - the registries of tasks and queues share the tag `{registry}`.
 *
 * Nothing else in the code base builds a key string.
 */
import { createHash } from "node:crypto";
import { ConfigurationError } from "../errors/configuration-error.js";
import { idPattern, toBase32 } from "./base32.js";

const PREFIX_SHAPE = /^[A-Za-z0-9][A-Za-z0-9:._-]*$/;
const NAME_SHAPE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const NAME_MAX = 100;

/** Checks a prefix: letters, digits and `:._-`, no braces (durabull adds the hash tags). */
export function assertValidPrefix(prefix: string): void {
  if (!PREFIX_SHAPE.test(prefix) || prefix.endsWith(":")) {
    throw new ConfigurationError(
      `prefix must start with a letter or digit and hold only letters, digits and ":._-" ` +
        `(not ending in ":"); got ${JSON.stringify(prefix)}.`,
    );
  }
}

/**
 * Checks a task id, queue name or input stream id: letters, digits and `._-`, at most 100
 * characters. Such names are safe inside a hash tag and as BullMQ queue names.
 */
export function assertValidName(kind: "task id" | "queue name" | "stream id", name: unknown): asserts name is string {
  if (typeof name !== "string" || !NAME_SHAPE.test(name) || name.length > NAME_MAX) {
    throw new ConfigurationError(
      `${kind} must be 1 to ${NAME_MAX} letters, digits or "._-", starting with a letter or ` +
        `digit; got ${JSON.stringify(name)}.`,
    );
  }
}

/** Tags already made, by queue name (a bounded memo: there are few queues, but names come from callers). */
const tags = new Map<string, string>();
const TAGS_KEPT = 1_000;

/**
 * The hash tag of queue `queue`'s keys and of its runs' keys: the first 20 bits of the SHA-256 of
 * its name, as 4 base32 characters. Two queues may share a tag, and so a slot; their keys still
 * differ by name. Stored keys and run ids depend on this function: it must never change.
 */
export function queueTag(queue: string): string {
  let tag = tags.get(queue);
  if (tag === undefined) {
    tag = toBase32(createHash("sha256").update(queue).digest().readUInt32BE(0) >>> 12, 4);
    if (tags.size >= TAGS_KEPT) tags.clear();
    tags.set(queue, tag);
  }
  return tag;
}

/** Where a run id carries its queue's tag: behind `run_`, 10 characters of time and 4 of sequence. */
export const RUN_TAG_START = 18;

const RUN_ID_SHAPE = idPattern("run");

/** The hash tag of a run's keys: its queue's tag, which its id carries; a job id that is not a run id is its own tag. */
export function runTag(runId: string): string {
  return RUN_ID_SHAPE.test(runId) ? runId.slice(RUN_TAG_START, RUN_TAG_START + 4) : runId;
}

/** Builds the key names for one prefix. */
export class RedisKeys {
  constructor(readonly prefix: string) {
    assertValidPrefix(prefix);
  }

  /**
   * The prefix handed to BullMQ for a queue. BullMQ appends `:<queue>:<type>`, so its keys
   * share the queue's hash tag with durabull's per-queue keys and its runs' keys.
   */
  bullPrefix(queue: string): string {
    return `${this.prefix}:{${queueTag(queue)}}:bull`;
  }

  /** Hash: BullMQ's job of run `runId` on queue `queue` (scripts read it to know the run exists). */
  job(queue: string, runId: string): string {
    return `${this.bullPrefix(queue)}:${queue}:${runId}`;
  }

  /** The start of every durabull key of queue `queue` (BullMQ's have `bullPrefix`). */
  private queueKey(queue: string, name: string): string {
    return `${this.prefix}:{${queueTag(queue)}}:queue:${queue}:${name}`;
  }

  /**
   * Hash: a run's record (tags, metadata, attempt, what it waits on, outcome) and its journal
   * (fields `j:<position>`), so one read returns both and one expiry ends both. Its input
   * buffers' keys are this key followed by `:stream:<id>` (Lua builds them so, expire-run.lua).
   */
  run(runId: string): string {
    return `${this.prefix}:{${runTag(runId)}}:${runId}`;
  }

  /** Hash: how far the retention sweeper has read each of BullMQ's finished sets of a queue. */
  retentionCursor(queue: string): string {
    return this.queueKey(queue, "retention-cursor");
  }

  /** List: values sent to run `runId`'s input stream `streamId` that no wait has taken yet. */
  stream(runId: string, streamId: string): string {
    return `${this.run(runId)}:stream:${streamId}`;
  }

  /** The start of every key in the waitpoints slot (handed to Lua, which appends the rest). */
  waitpointsPrefix(): string {
    return `${this.prefix}:{waitpoints}:`;
  }

  /**
   * Hash: up to 32 tokens, in the order Redis numbered them (engine/token-buckets.ts), each a
   * field (its id without `waitpoint_`) holding its status and times: a token costs a field, not
   * a key and an index entry, and the buckets, walked in order, list every token.
   */
  tokenBucket(bucket: string): string {
    return `${this.waitpointsPrefix()}tokens:${bucket}`;
  }

  /** Hash: the first run waiting on each token of a bucket (`<token's slot><run id>` → queue). */
  tokenWaiters(bucket: string): string {
    return `${this.waitpointsPrefix()}waiters:${bucket}`;
  }

  /**
   * Hash: what a token has beyond its state, when it has any: output, tags, idempotency key, and
   * the runs waiting on it after the first (`r:<run id>` → queue).
   */
  token(tokenId: string): string {
    return `${this.waitpointsPrefix()}token:${tokenId}`;
  }

  /** String: how many tokens were ever created; the next token's number (its bucket and slot). */
  tokenCount(): string {
    return `${this.waitpointsPrefix()}count`;
  }

  /** String: the lowest bucket number that may still hold tokens (those below are empty). */
  tokenFloor(): string {
    return `${this.waitpointsPrefix()}floor`;
  }

  /** Sorted set: settled tokens, scored by when they settled (for retention). */
  tokensBySettling(): string {
    return `${this.waitpointsPrefix()}settled`;
  }

  /**
   * Sorted set: waitpoints (settled tokens, ended runs) whose waiters may not all be woken yet,
   * scored by when the wake-up began; the waitpoint sweeper repeats those that linger.
   */
  pendingWakes(): string {
    return `${this.waitpointsPrefix()}wakes`;
  }

  /** Sorted set: the tokens carrying `tag`, all scores 0, so ordered by id — that is, by creation time. */
  tokensByTag(tag: string): string {
    return `${this.waitpointsPrefix()}tag:${tag}`;
  }

  /** String with expiry: the token an idempotency key (hashed) names. */
  tokenIdempotency(keyHash: string): string {
    return `${this.waitpointsPrefix()}idem:${keyHash}`;
  }

  /** String with expiry: when the keyed wait an idempotency key (hashed) names ends. */
  waitIdempotency(keyHash: string): string {
    return `${this.waitpointsPrefix()}wait-key:${keyHash}`;
  }

  /** String: the next bucket number the waitpoint sweeper's scan for overdue WAITING tokens reads. */
  tokenScanCursor(): string {
    return `${this.waitpointsPrefix()}scan-cursor`;
  }

  /** String with expiry: which worker sweeps the waitpoints this interval. */
  waitpointSweepLock(): string {
    return `${this.waitpointsPrefix()}sweep-lock`;
  }

  /**
   * Set: the queue's runs that are delayed without being parked — backing off before a retry, or
   * waiting out a trigger delay — so the queue's counts can tell them from parked runs.
   */
  delays(queue: string): string {
    return this.queueKey(queue, "delays");
  }

  /** Sorted set: runs of the queue canceled before they executed (no BullMQ job left), by when. */
  canceledRuns(queue: string): string {
    return this.queueKey(queue, "canceled");
  }

  /** String: set while every queue is paused (`queues.pauseAll`), so queues that appear later pause too. */
  pausedAll(): string {
    return `${this.prefix}:{registry}:paused-all`;
  }

  /** String: the priority period (engine/priority.ts) a queue's stored priorities are on. */
  priorityPeriod(queue: string): string {
    return this.queueKey(queue, "priority-period");
  }

  /** String with expiry: which worker sweeps a queue's finished runs this interval. */
  retentionLock(queue: string): string {
    return this.queueKey(queue, "retention-lock");
  }

  /** String with expiry: "<run id> <claimed at>", the run a trigger idempotency key (hashed) names for a task. */
  triggerIdempotency(taskId: string, keyHash: string): string {
    return `${this.prefix}:{${taskId}}:idem:${keyHash}`;
  }

  /** Pub/sub channel (not a key): "<run id> <stream id>" for each value buffered for a run's input stream. */
  streamSendChannel(): string {
    return `${this.prefix}:stream-sent`;
  }

  /** Pub/sub channel (not a key): ids of executing runs to cancel, heard by every worker. */
  cancelChannel(): string {
    return `${this.prefix}:cancel`;
  }

  /** Hash: task id → JSON of what a trigger needs to know of a task defined elsewhere. */
  taskRegistry(): string {
    return `${this.prefix}:{registry}:tasks`;
  }

  /** Set: the name of every queue durabull has used under this prefix. */
  queueRegistry(): string {
    return `${this.prefix}:{registry}:queues`;
  }

  /** The glob matching every key under this prefix (for tests and tooling; never in a hot path). */
  everything(): string {
    return `${this.prefix}:*`;
  }
}
