/**
 * The step journal of one attempt. Every durable call of a run (`step.run`, `wait.for`, ...)
 * takes the next position; the journal, read once when the attempt begins, says whether that
 * position already ran and with what result. A position is written once (first writer wins),
 * so a zombie attempt that lost its lock cannot overwrite what the live one journaled.
 */
import { createHash } from "node:crypto";
import { NonDeterminismError } from "../errors/non-determinism-error.js";
import { timeOfId } from "./ids.js";
import { isJsonExact } from "./json-value.js";

/** A journaled `step.run`. */
export interface StepEntry {
  kind: "step";
  name: string;
  startedAt: number;
  endedAt: number;
  /** The step's JSON-serialised result; absent for `undefined`. */
  output?: unknown;
}

/** A journaled `wait.for` or `wait.until`. */
export interface WaitEntry {
  kind: "wait";
  name: "for" | "until";
  startedAt: number;
  /** When the wait ends, ms since the epoch. */
  until: number;
}

/** A journaled `wait.createToken`: the token it made (its URL and access token are derived again). */
export interface TokenCreateEntry {
  kind: "token.create";
  /** The idempotency key's name in the journal (`tokenCreateName`), or "" for none. */
  name: string;
  startedAt: number;
  tokenId: string;
  timeoutAt: number;
}

/** A journaled `wait.forToken`; its result lives in the run hash (`w:<token id>`). */
export interface TokenWaitEntry {
  kind: "token.wait";
  /** The token id. */
  name: string;
  startedAt: number;
}

/** A journaled input stream `.wait()`: the token that backs it; its result lives in the run hash. */
export interface StreamWaitEntry {
  kind: "stream.wait";
  /** The stream id. */
  name: string;
  startedAt: number;
  tokenId: string;
  timeoutAt: number;
}

/**
 * How an input stream's `.once()` ended: the value it took, or without one — timed out, or
 * aborted by its signal (with the signal's reason: a string as it was, anything else as an error's
 * name and message).
 */
export type StreamOnceOutcome =
  | { ok: true; value: unknown }
  | { ok: false; reason: "timeout" }
  | { ok: false; reason: "aborted"; cause?: string | { name: string; message: string } };

/** A journaled input stream `.once()`: what it took, so a replay gets the same value. */
export interface StreamOnceEntry {
  kind: "stream.once";
  /** The stream id. */
  name: string;
  startedAt: number;
  outcome: StreamOnceOutcome;
}

/** A journaled input stream `.on()`; the values handed to it live in the run hash (`d:<position>`). */
export interface StreamOnEntry {
  kind: "stream.on";
  /** The stream id. */
  name: string;
  startedAt: number;
}

/** A journaled trigger inside a run (`trigger`, `batchTrigger`; with `.wait` for `triggerAndWait`, `batchTriggerAndWait`). */
export interface TriggerEntry {
  kind: "trigger" | "trigger.wait";
  /** The task id. */
  name: string;
  startedAt: number;
  /** The runs it made (or found by idempotency key), in order. */
  runIds: string[];
  batchId?: string;
}

/** One position of the journal. */
export type JournalEntry = StepEntry | WaitEntry | TokenCreateEntry | TokenWaitEntry | StreamWaitEntry | StreamOnceEntry | StreamOnEntry | TriggerEntry;

/** The identity of a durable call: what the journal must agree with on replay. */
export interface DurableCall {
  kind: JournalEntry["kind"];
  name: string;
}

/** Writes a position once and answers what the position holds afterwards. */
export type JournalWriter = (index: number, encoded: string) => Promise<string>;

const WAITPOINT_PREFIX = "waitpoint_";

/** The most bytes an idempotency key's JSON may take for a `wait.createToken` entry to hold it as it is. */
const TOKEN_KEY_KEPT = 14;

/**
 * The name a `wait.createToken` call is journaled and matched under: its idempotency key as given
 * if its JSON fits 14 bytes, else `#` and 11 characters of its SHA-256, so that the entry stays
 * within the 64 bytes of a compact hash value (a key such as a run id would push the run's whole
 * hash out of Redis's compact encoding, doubling its memory). "" without a key.
 */
export function tokenCreateName(idempotencyKey: string | undefined): string {
  if (idempotencyKey === undefined || Buffer.byteLength(JSON.stringify(idempotencyKey)) <= TOKEN_KEY_KEPT) return idempotencyKey ?? "";
  return `#${createHash("sha256").update(idempotencyKey).digest("base64url").slice(0, 11)}`;
}

/** A token id without its `waitpoint_` prefix, as entries store it. */
function shortTokenId(tokenId: string): string {
  return tokenId.startsWith(WAITPOINT_PREFIX) ? tokenId.slice(WAITPOINT_PREFIX.length) : tokenId;
}

/**
 * Encodes an entry for its run-hash field: a short JSON array (kind code first), so that
 * entries stay under Redis' 64-byte limit for compact hashes and a parked run stays small.
 * Token entries keep no start time of their own: it is in the token id. A step's output is
 * left out when JSON has nothing for it (`undefined`, a function), so it reads back `undefined`.
 * Throws on what JSON cannot hold (a BigInt, a cycle).
 */
export function encodeEntry(entry: JournalEntry): string {
  switch (entry.kind) {
    case "step": {
      const head = `["s",${JSON.stringify(entry.name)},${entry.startedAt},${entry.endedAt}`;
      const output = JSON.stringify(entry.output);
      return output === undefined ? `${head}]` : `${head},${output}]`;
    }
    case "wait":
      return JSON.stringify(["w", entry.name, entry.startedAt, entry.until]);
    case "token.create":
      return JSON.stringify(["c", entry.name, shortTokenId(entry.tokenId), entry.timeoutAt]);
    case "token.wait":
      return JSON.stringify(["t", shortTokenId(entry.name), entry.startedAt]);
    case "stream.wait":
      return JSON.stringify(["i", entry.name, shortTokenId(entry.tokenId), entry.timeoutAt]);
    case "stream.once":
      if (entry.outcome.ok) return `${streamOnceTakenPrefix(entry.name, entry.startedAt)}${JSON.stringify(entry.outcome.value) ?? "null"}]`;
      return JSON.stringify(
        entry.outcome.reason === "aborted" && entry.outcome.cause !== undefined
          ? ["o", entry.name, entry.startedAt, 0, entry.outcome.reason, entry.outcome.cause]
          : ["o", entry.name, entry.startedAt, 0, entry.outcome.reason],
      );
    case "stream.on":
      return JSON.stringify(["n", entry.name, entry.startedAt]);
    case "trigger":
    case "trigger.wait": {
      const ids = entry.runIds.map((id) => id.replace(/^run_/, ""));
      const code = entry.kind === "trigger" ? "T" : "R";
      return JSON.stringify(entry.batchId ? [code, entry.name, entry.startedAt, ids, entry.batchId] : [code, entry.name, entry.startedAt, ids]);
    }
  }
}

/**
 * The encoding of a `.once()` entry that took a value, up to the value: the script that takes the
 * value from the stream's buffer appends it (and the closing bracket) in Redis.
 */
export function streamOnceTakenPrefix(streamId: string, startedAt: number): string {
  return `${JSON.stringify(["o", streamId, startedAt, 1]).slice(0, -1)},`;
}

/** Decodes an entry written by `encodeEntry`. */
export function decodeEntry(encoded: string): JournalEntry {
  const raw = JSON.parse(encoded) as [string, string, ...unknown[]];
  const [code, name] = raw;
  switch (code) {
    case "s":
      return { kind: "step", name, startedAt: raw[2] as number, endedAt: raw[3] as number, ...(raw.length > 4 ? { output: raw[4] } : {}) };
    case "w":
      return { kind: "wait", name: name as WaitEntry["name"], startedAt: raw[2] as number, until: raw[3] as number };
    case "t":
      return { kind: "token.wait", name: WAITPOINT_PREFIX + name, startedAt: raw[2] as number };
    case "c":
    case "i": {
      const tokenId = WAITPOINT_PREFIX + (raw[2] as string);
      return { kind: code === "c" ? "token.create" : "stream.wait", name, startedAt: timeOfId(tokenId), tokenId, timeoutAt: raw[3] as number };
    }
    case "o":
      return {
        kind: "stream.once",
        name,
        startedAt: raw[2] as number,
        outcome:
          raw[3] === 1
            ? { ok: true, value: raw[4] }
            : raw[4] === "aborted"
              ? { ok: false, reason: "aborted", ...(raw[5] !== undefined ? { cause: raw[5] as string | { name: string; message: string } } : {}) }
              : { ok: false, reason: "timeout" },
      };
    case "n":
      return { kind: "stream.on", name, startedAt: raw[2] as number };
    case "T":
    case "R":
      return {
        kind: code === "T" ? "trigger" : "trigger.wait",
        name,
        startedAt: raw[2] as number,
        runIds: (raw[3] as string[]).map((id) => `run_${id}`),
        ...(raw[4] !== undefined ? { batchId: raw[4] as string } : {}),
      };
    default:
      throw new Error(`unknown journal entry kind ${JSON.stringify(code)}`);
  }
}

/** The run-hash field holding journal position `index`. */
export function journalField(index: number): string {
  return `j:${index}`;
}

/** Decodes the journal fields (`j:<position>`) of a run hash; other fields are ignored. */
export function decodeJournal(fields: Record<string, string>): Map<number, JournalEntry> {
  const entries = new Map<number, JournalEntry>();
  for (const [field, encoded] of Object.entries(fields)) {
    if (field.startsWith("j:")) entries.set(Number(field.slice(2)), decodeEntry(encoded));
  }
  return entries;
}

/** How a durable call reads in messages: `step.run("charge")`, `wait.for()`, `wait.forToken("waitpoint_…")`. */
export function describeCall(call: DurableCall): string {
  switch (call.kind) {
    case "step":
      return `step.run(${JSON.stringify(call.name)})`;
    case "wait":
      return `wait.${call.name}()`;
    case "token.create":
      return "wait.createToken()";
    case "token.wait":
      return `wait.forToken(${JSON.stringify(call.name)})`;
    case "stream.wait":
    case "stream.once":
    case "stream.on":
      return `streams.input({ id: ${JSON.stringify(call.name)} }).${call.kind.slice("stream.".length)}()`;
    case "trigger":
      return `trigger of task ${JSON.stringify(call.name)}`;
    case "trigger.wait":
      return `triggerAndWait of task ${JSON.stringify(call.name)}`;
  }
}

/** The journal of one attempt: replayed entries and the cursor of the next durable call. */
export class Journal {
  private cursor = 0;
  private readonly replayLength: number;

  constructor(
    private readonly entries: Map<number, JournalEntry>,
    private readonly write: JournalWriter,
  ) {
    this.replayLength = entries.size === 0 ? 0 : Math.max(...entries.keys()) + 1;
  }

  /** Whether the run's code is still replaying what earlier executions journaled. */
  get replaying(): boolean {
    return this.cursor < this.replayLength;
  }

  /**
   * Takes the next position for `call` and returns what the journal holds there, if anything.
   * Throws NonDeterminismError when the journal holds a different call.
   */
  claim(call: DurableCall): { index: number; entry: JournalEntry | undefined } {
    const index = this.cursor;
    this.cursor += 1;
    const entry = this.entries.get(index);
    if (entry && (entry.kind !== call.kind || entry.name !== call.name)) {
      throw new NonDeterminismError({ index, journaled: describeCall(entry), called: describeCall(call) });
    }
    return { index, entry };
  }

  /**
   * Journals `entry` at `index` (one round trip) and returns what the position holds, as a replay
   * would read it: decoded from the journal, unless this write won and decoding would give back
   * `entry` itself (a step whose output JSON returns unchanged; objects go through JSON).
   */
  async record<T extends JournalEntry>(index: number, entry: T): Promise<T> {
    const encoded = encodeEntry(entry);
    const written = await this.write(index, encoded);
    const stored = (written === encoded && entry.kind === "step" && isJsonExact(entry.output) ? entry : decodeEntry(written)) as T;
    this.entries.set(index, stored);
    return stored;
  }
}
