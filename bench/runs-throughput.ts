/**
 * Trivial runs per second through durabull against plain BullMQ jobs per second, same
 * Redis, same concurrency, same method: enqueue N in batches of 1,000, then wait until all
 * are completed. Each round measures both back to back; the figures are the medians of each
 * side, and the ratio the median of the rounds' ratios, so a machine whose speed drifts between
 * rounds (shared cores) compares like with like.
 */
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { setTimeout as sleep } from "node:timers/promises";
import { createWorker, task } from "../src/index.js";
import { runtime } from "../src/engine/runtime.js";
import { pairedRounds, type Figures } from "./results.js";

const CONCURRENCY = 50;
const BATCH = 1_000;

const trivial = task({ id: "bench-trivial", run: async () => "ok" });

async function untilCompleted(queue: Queue, count: number): Promise<void> {
  while ((await queue.getCompletedCount()) < count) await sleep(5);
}

async function plainBullmqRound(url: string, total: number, round: number): Promise<number> {
  const name = `plain-${round}`;
  const producer = new Redis(url);
  const consumer = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue(name, { connection: producer, prefix: "bench-plain" });
  const worker = new Worker(name, async () => "ok", { connection: consumer, prefix: "bench-plain", concurrency: CONCURRENCY });
  await worker.waitUntilReady();
  const started = performance.now();
  for (let offset = 0; offset < total; offset += BATCH) {
    await queue.addBulk(Array.from({ length: Math.min(BATCH, total - offset) }, () => ({ name: "trivial", data: {} })));
  }
  await untilCompleted(queue, total);
  const seconds = (performance.now() - started) / 1000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await Promise.all([producer.quit(), consumer.quit()]);
  return total / seconds;
}

async function durabullRound(total: number): Promise<number> {
  const worker = await createWorker({ tasks: [trivial], concurrency: CONCURRENCY });
  const queue = runtime().queue(trivial.id);
  const before = await queue.getCompletedCount();
  const started = performance.now();
  for (let offset = 0; offset < total; offset += BATCH) {
    await trivial.batchTrigger(Array.from({ length: Math.min(BATCH, total - offset) }, () => ({ payload: undefined })));
  }
  await untilCompleted(queue, before + total);
  const seconds = (performance.now() - started) / 1000;
  await worker.close();
  return total / seconds;
}

/** Measures both sides: `runs_per_s`, `bullmq_jobs_per_s`, `runs_per_s_ratio`. */
export async function measureRunThroughput(url: string, total: number, rounds: number): Promise<Figures> {
  await plainBullmqRound(url, 500, -1);
  await durabullRound(500);
  const pairs = await pairedRounds(rounds, (round) => plainBullmqRound(url, total, round), () => durabullRound(total));
  return { runs_per_s: pairs.ours, bullmq_jobs_per_s: pairs.baseline, runs_per_s_ratio: pairs.ratio };
}
