/**
 * `step.run` calls per second inside one 1,000-step run, against a plain sequential loop of
 * 1,000 Redis HSETs of the same size on one connection. A round is short (a tenth of a second
 * or so), so there are three per bench round, each measuring both sides back to back (see
 * `pairedRounds`). The run tells this process when it is done, so no reads of the run's state
 * compete with its steps. Beside the rates it gives the process's CPU time per step and per
 * `HSET` (medians over the rounds): a step's own work in Node, beyond its round trip.
 */
import { Redis } from "ioredis";
import { createWorker, step, task } from "../src/index.js";
import { median, pairedRounds, type Figures } from "./results.js";
import { timing, type Spent } from "./timing.js";

const STEPS = 1_000;

/** Called with what the current round's run took for its steps. */
let roundDone: (spent: Spent) => void = () => undefined;

const manySteps = task({
  id: "bench-steps",
  run: async () => {
    const spent = timing();
    for (let i = 0; i < STEPS; i += 1) await step.run(`step-${i}`, () => i);
    roundDone(spent());
  },
});

/** Calls per second of a round that spent `spent`; adds its CPU per call to `cpu`. */
function rate({ elapsedMs, cpuUs }: Spent, cpu: number[]): number {
  cpu.push(cpuUs / STEPS);
  return STEPS / (elapsedMs / 1000);
}

async function stepRound(cpu: number[]): Promise<number> {
  const spent = new Promise<Spent>((resolve) => (roundDone = resolve));
  await manySteps.trigger();
  return rate(await spent, cpu);
}

async function hsetRound(client: Redis, round: number, cpu: number[]): Promise<number> {
  const key = `bench-hset:${round}`;
  const value = JSON.stringify({ k: "step", n: "step-999", s: Date.now(), e: Date.now(), v: 999 });
  const spent = timing();
  for (let i = 0; i < STEPS; i += 1) await client.hset(key, String(i), value);
  const figures = spent();
  await client.del(key);
  return rate(figures, cpu);
}

/** Measures `steps_per_s`, `hset_per_s`, `steps_per_s_ratio`, `steps_cpu_us` and `hset_cpu_us`. */
export async function measureStepThroughput(url: string, rounds: number): Promise<Figures> {
  const client = new Redis(url);
  const worker = await createWorker({ tasks: [manySteps], concurrency: 1 });
  const cpu = { steps: [] as number[], hset: [] as number[] };
  await stepRound([]);
  await hsetRound(client, -1, []);
  const pairs = await pairedRounds(3 * rounds, (round) => hsetRound(client, round, cpu.hset), () => stepRound(cpu.steps));
  await worker.close();
  await client.quit();
  return {
    steps_per_s: pairs.ours,
    hset_per_s: pairs.baseline,
    steps_per_s_ratio: pairs.ratio,
    steps_cpu_us: median(cpu.steps),
    hset_cpu_us: median(cpu.hset),
  };
}
