/**
 * `step.run` calls per second inside one 1,000-step run, against a plain sequential loop of
 * 1,000 Redis HSETs of the same size on one connection. A round is short (a tenth of a second
 * or so), so there are three per bench round, each measuring both sides back to back (see
 * `pairedRounds`). The run tells this process when it is done, so no reads of the run's state
 * compete with its steps.
 */
import { Redis } from "ioredis";
import { createWorker, step, task } from "../src/index.js";
import { pairedRounds, type Figures } from "./results.js";

const STEPS = 1_000;

/** Called with how long the current round's run took for its steps, in ms. */
let roundDone: (elapsedMs: number) => void = () => undefined;

const manySteps = task({
  id: "bench-steps",
  run: async () => {
    const started = performance.now();
    for (let i = 0; i < STEPS; i += 1) await step.run(`step-${i}`, () => i);
    roundDone(performance.now() - started);
  },
});

async function stepRound(): Promise<number> {
  const elapsedMs = new Promise<number>((resolve) => (roundDone = resolve));
  await manySteps.trigger();
  return STEPS / ((await elapsedMs) / 1000);
}

async function hsetRound(client: Redis, round: number): Promise<number> {
  const key = `bench-hset:${round}`;
  const value = JSON.stringify({ k: "step", n: "step-999", s: Date.now(), e: Date.now(), v: 999 });
  const started = performance.now();
  for (let i = 0; i < STEPS; i += 1) await client.hset(key, String(i), value);
  const seconds = (performance.now() - started) / 1000;
  await client.del(key);
  return STEPS / seconds;
}

/** Measures `steps_per_s`, `hset_per_s` and `steps_per_s_ratio`. */
export async function measureStepThroughput(url: string, rounds: number): Promise<Figures> {
  const client = new Redis(url);
  const worker = await createWorker({ tasks: [manySteps], concurrency: 1 });
  await stepRound();
  await hsetRound(client, -1);
  const pairs = await pairedRounds(3 * rounds, (round) => hsetRound(client, round), stepRound);
  await worker.close();
  await client.quit();
  return { steps_per_s: pairs.ours, hset_per_s: pairs.baseline, steps_per_s_ratio: pairs.ratio };
}
