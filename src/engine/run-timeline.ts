/**
 * A run's journal as a timeline, for the dashboard's run view: each durable call in order, when
 * it started and ended, and what it gave. Read from the run's hash, plus the tokens and child
 * runs it waited on (for when those ended).
 */
import { timeOfId } from "./ids.js";
import { decodeJournal, describeCall, type JournalEntry } from "./journal.js";
import { waitResultsOf } from "./run-record.js";
import { viewRun } from "./run-reader.js";
import type { Runtime } from "./runtime.js";
import { WaitpointStore, type WaitResult } from "./waitpoint-store.js";

/** One durable call of a run. */
export interface TimelineEntry {
  /** Its position in the journal, from 0. */
  position: number;
  kind: JournalEntry["kind"];
  /** How the call reads in code: `step.run("charge")`, `wait.forToken("waitpoint_…")`. */
  call: string;
  startedAt: Date;
  /** When it ended; absent while it has not (a wait still pending). */
  endedAt?: Date;
  /** What it gave: a step's output, a wait's result, the ids a trigger made. */
  result?: unknown;
  /** Ids it refers to: the token made or waited on, the runs triggered. */
  refs: string[];
}

/** What an entry waits on, when it waits on waitpoints whose results the run hash holds. */
function waitedOn(entry: JournalEntry): string[] {
  switch (entry.kind) {
    case "token.wait":
      return [entry.name];
    case "stream.wait":
      return [entry.tokenId];
    case "trigger.wait":
      return entry.runIds;
    default:
      return [];
  }
}

/** Ids an entry refers to. */
function refsOf(entry: JournalEntry): string[] {
  switch (entry.kind) {
    case "token.create":
      return [entry.tokenId];
    case "trigger":
      return entry.runIds;
    default:
      return waitedOn(entry);
  }
}

/** When the waitpoints `ids` ended (tokens settled, runs finished), where they still exist. */
async function endTimes(runtime: Runtime, ids: string[]): Promise<Map<string, number>> {
  const ends = new Map<string, number>();
  const tokens = ids.filter((id) => id.startsWith("waitpoint_"));
  for (const token of await new WaitpointStore(runtime).read(tokens)) if (token.settledAt !== undefined) ends.set(token.id, token.settledAt);
  const runs = ids.filter((id) => id.startsWith("run_"));
  const views = await Promise.all(runs.map((id) => viewRun(runtime, id)));
  views.forEach((view, i) => {
    if (view?.job?.finishedOn) ends.set(runs[i]!, view.job.finishedOn);
  });
  return ends;
}

/** The entry's start, end and result. */
function timing(entry: JournalEntry, results: Map<string, string>, ends: Map<string, number>): Pick<TimelineEntry, "startedAt" | "endedAt" | "result"> {
  switch (entry.kind) {
    case "step":
      return { startedAt: new Date(entry.startedAt), endedAt: new Date(entry.endedAt), result: entry.output };
    case "wait":
      return { startedAt: new Date(entry.startedAt), ...(entry.until <= Date.now() ? { endedAt: new Date(entry.until) } : {}) };
    case "token.create":
      return { startedAt: new Date(timeOfId(entry.tokenId)), endedAt: new Date(timeOfId(entry.tokenId)), result: { id: entry.tokenId, timeoutAt: new Date(entry.timeoutAt) } };
    case "stream.once":
      return { startedAt: new Date(entry.startedAt), result: entry.outcome };
    case "token.wait":
    case "stream.wait":
    case "trigger.wait": {
      const ids = waitedOn(entry);
      const settled = ids.map((id) => results.get(id)).filter((result): result is string => Boolean(result)).map((result) => JSON.parse(result) as WaitResult);
      const ended = settled.length === ids.length ? Math.max(...ids.map((id) => ends.get(id) ?? 0)) : 0;
      const startedAt = entry.kind === "stream.wait" ? timeOfId(entry.tokenId) : entry.startedAt;
      return {
        startedAt: new Date(startedAt),
        ...(ended > 0 ? { endedAt: new Date(ended) } : {}),
        ...(settled.length > 0 ? { result: entry.kind === "trigger.wait" ? settled : settled[0] } : {}),
      };
    }
    case "trigger":
      return { startedAt: new Date(entry.startedAt), endedAt: new Date(entry.startedAt), result: { runIds: entry.runIds } };
    case "stream.on":
      return { startedAt: new Date(entry.startedAt) };
  }
}

/** Run `runId`'s journal as a timeline, in journal order; undefined for no such run. */
export async function runTimeline(runtime: Runtime, runId: string): Promise<TimelineEntry[] | undefined> {
  const fields = await runtime.client.hgetall(runtime.keys.run(runId));
  if (Object.keys(fields).length === 0) return undefined;
  const entries = [...decodeJournal(fields)].sort(([a], [b]) => a - b);
  const results = waitResultsOf(fields);
  const ends = await endTimes(runtime, entries.flatMap(([, entry]) => waitedOn(entry)));
  return entries.map(([position, entry]) => ({
    position,
    kind: entry.kind,
    call: describeCall(entry),
    ...timing(entry, results, ends),
    refs: refsOf(entry),
  }));
}
