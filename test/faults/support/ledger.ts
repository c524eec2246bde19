/**
 * Reading the fault suite's ledger (see fixtures/fault-tasks.ts): for each run and step, the
 * bodies that started, with the process and the time, and whether each ended.
 */
import type { Redis } from "ioredis";

/** One run of a step body. */
export interface BodyRun {
  pid: number;
  startedAt: number;
  ended: boolean;
}

/** Bodies run, by run id, then step name, in the order they started. */
export type Ledger = Map<string, Map<string, BodyRun[]>>;

/** Reads the ledger of every run under `prefix`. */
export async function readLedger(redis: Redis, prefix: string): Promise<Ledger> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", `${prefix}:steps:*`, "COUNT", 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  const lists = (await keys.reduce((pipeline, key) => pipeline.lrange(key, 0, -1), redis.pipeline()).exec()) ?? [];
  const ledger: Ledger = new Map();
  keys.forEach((key, index) => {
    const [runId, step] = key.slice(`${prefix}:steps:`.length).split(":") as [string, string];
    const bodies: BodyRun[] = [];
    for (const line of lists[index]![1] as string[]) {
      const [phase, pid, at] = line.split(" ") as [string, string, string];
      if (phase === "start") bodies.push({ pid: Number(pid), startedAt: Number(at), ended: false });
      else {
        const open = bodies.find((body) => body.pid === Number(pid) && !body.ended);
        if (open) open.ended = true;
      }
    }
    let steps = ledger.get(runId);
    if (!steps) ledger.set(runId, (steps = new Map()));
    steps.set(step, bodies);
  });
  return ledger;
}

/** Counts of a ledger: step bodies that ran, and those that ran more than once. */
export function ledgerTotals(ledger: Ledger): { runs: number; steps: number; bodies: number; repeatedSteps: number } {
  let steps = 0;
  let bodies = 0;
  let repeatedSteps = 0;
  for (const runSteps of ledger.values()) {
    for (const runs of runSteps.values()) {
      steps += 1;
      bodies += runs.length;
      if (runs.length > 1) repeatedSteps += 1;
    }
  }
  return { runs: ledger.size, steps, bodies, repeatedSteps };
}
