/**
 * `step.run` calls per second inside one 1,000-step run, against a plain sequential loop of
 * 1,000 Redis HSETs of the same size on one connection. Each side runs a few times; the
 * median is reported.
 */
import { Redis } from "ioredis";
import { createWorker, runs, step, task } from "../src/index.js";
import { median, type Figures } from "./results.js";
import { setTimeout as sleep } from "node:timers/promises";

const STEPS = 1_000;

const manySteps = task({
  id: "bench-steps",
  run: async () => {
    const started = performance.now();
    for (let i = 0; i < STEPS; i += 1) await step.run(`step-${i}`, () => i);
    return performance.now() - started;
  },
});

async function stepRound(): Promise<number> {
  const { id } = await manySteps.trigger();
  for (;;) {
    const run = await runs.retrieve(id);
    if (run.status === "COMPLETED") return STEPS / ((run.output as number) / 1000);
    if (run.status === "FAILED") throw new Error(`bench run failed: ${run.error?.message}`);
    await sleep(20);
  }
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
  const steps: number[] = [];
  const hsets: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    steps.push(await stepRound());
    hsets.push(await hsetRound(client, round));
  }
  await worker.close();
  await client.quit();
  const stepsPerSecond = median(steps);
  const hsetPerSecond = median(hsets);
  return { steps_per_s: stepsPerSecond, hset_per_s: hsetPerSecond, steps_per_s_ratio: stepsPerSecond / hsetPerSecond };
}
