/**
 * Waitpoints: resume latency — from `wait.completeToken` to the parked run's next line — over
 * 1,000 runs completed one at a time, beside plain BullMQ's pickup latency (from `add` to its
 * processor starting, also one at a time); and Redis memory per parked run, the growth of
 * `used_memory` while 5,000 runs park on tokens (the first 1,000 of them are the ones resumed).
 * BullMQ's event stream is capped (10,000 entries by default), not a per-run cost, so its growth
 * is left out of the memory figure.
 */
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { setTimeout as sleep } from "node:timers/promises";
import { createWorker, task, wait } from "../src/index.js";
import { runtime } from "../src/engine/runtime.js";
import type { Figures } from "./results.js";

const RUNS = 1_000;
const PARKED_FOR_MEMORY = 5_000;

/** When each run reached the line after its `forToken`, by token id. */
const resumedAt = new Map<string, number>();
const parkedTokens: string[] = [];

const parked = task({
  id: "bench-parked",
  run: async () => {
    const token = await wait.createToken({ timeout: "1h" });
    parkedTokens.push(token.id);
    await wait.forToken(token);
    resumedAt.set(token.id, performance.now());
  },
});

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function usedMemory(client: Redis): Promise<number> {
  return Number(/^used_memory:(\d+)/m.exec(await client.info("memory"))![1]);
}

async function bullmqPickups(url: string): Promise<number[]> {
  const started = new Map<string, number>();
  const producer = new Redis(url);
  const consumer = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue("bench-pickup", { connection: producer, prefix: "bench-plain" });
  const worker = new Worker("bench-pickup", async (job) => void started.set(job.id!, performance.now()), { connection: consumer, prefix: "bench-plain" });
  await worker.waitUntilReady();
  const latencies: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const addedAt = performance.now();
    const job = await queue.add("pickup", {});
    while (!started.has(job.id!)) await sleep(0);
    latencies.push(started.get(job.id!)! - addedAt);
  }
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await Promise.all([producer.quit(), consumer.quit()]);
  return latencies;
}

/** Measures `resume_p50_ms`, `resume_p99_ms`, `bullmq_pickup_p50_ms`, `resume_p50_ratio`, `bytes_per_parked_run`. */
export async function measureWaitpointResume(url: string): Promise<Figures> {
  const admin = new Redis(url);
  const worker = await createWorker({ tasks: [parked], concurrency: 50 });
  const queue = runtime().queue(parked.id);
  const eventsKey = queue.keys.events as string;
  const eventsSize = async () => Number((await admin.memory("USAGE", eventsKey, "SAMPLES", "0")) ?? 0);
  const memoryBefore = (await usedMemory(admin)) - (await eventsSize());
  for (let i = 0; i < PARKED_FOR_MEMORY; i += 1_000) await parked.batchTrigger(Array.from({ length: 1_000 }, () => ({ payload: undefined })));
  while ((await queue.getDelayedCount()) < PARKED_FOR_MEMORY) await sleep(20);
  const memoryAfter = (await usedMemory(admin)) - (await eventsSize());

  const resumes: number[] = [];
  for (const tokenId of parkedTokens.slice(0, RUNS)) {
    const completedAt = performance.now();
    await wait.completeToken(tokenId, "go");
    while (!resumedAt.has(tokenId)) await sleep(0);
    resumes.push(resumedAt.get(tokenId)! - completedAt);
  }
  await worker.close();
  const pickups = await bullmqPickups(url);
  await admin.quit();
  const resumeP50 = percentile(resumes, 50);
  const pickupP50 = percentile(pickups, 50);
  return {
    resume_p50_ms: resumeP50,
    resume_p99_ms: percentile(resumes, 99),
    bullmq_pickup_p50_ms: pickupP50,
    resume_p50_ratio: resumeP50 / pickupP50,
    bytes_per_parked_run: (memoryAfter - memoryBefore) / PARKED_FOR_MEMORY,
  };
}
