/**
 * Waitpoints: resume latency — from `wait.completeToken` to the parked run's next line — over
 * 1,000 runs completed one at a time, beside plain BullMQ's pickup latency (from `add` to its
 * processor starting, also one at a time); and Redis memory per parked run: the growth of
 * `used_memory` while 5,000 runs park, after 1,000 parked first to warm up — runs parked on a
 * token each creates (the figure the target is for), and runs parked in `wait.for`, whose
 * difference is what a token and its index entry cost.
 *
 * Memory is measured on a fresh redis-server each time, so the keyspace's bucket array (which
 * doubles as keys are added) grows at the same points in every bench run. BullMQ's event stream
 * is capped (10,000 entries by default), not a per-run cost, so its growth is left out.
 */
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { setTimeout as sleep } from "node:timers/promises";
import { configure, createWorker, task, wait, type DurabullOptions, type Task } from "../src/index.js";
import { runtime } from "../src/engine/runtime.js";
import { RedisServerProcess } from "../src/redis/redis-server-process.js";
import type { Figures } from "./results.js";

const RUNS = 1_000;
const PARKED_FOR_WARM_UP = 1_000;
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

const sleeping = task({
  id: "bench-sleeping",
  run: async () => {
    await wait.for({ hours: 1 });
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

/** A task whose runs park at once: on a token each creates, or on a timer. */
type Parker = Task<string, void, unknown>;

/** Triggers `count` runs of `parker` and waits until all have parked. */
async function park(parker: Parker, count: number): Promise<void> {
  const queue = runtime().queue(parker.id);
  const target = (await queue.getDelayedCount()) + count;
  for (let i = 0; i < count; i += 1_000) await parker.batchTrigger(Array.from({ length: Math.min(1_000, count - i) }, () => ({ payload: undefined })));
  while ((await queue.getDelayedCount()) < target) await sleep(20);
}

/** Redis memory per run of `parker` parked, on a fresh redis-server. */
async function bytesPerParkedRun(options: DurabullOptions, parker: Parker): Promise<number> {
  const server = await RedisServerProcess.start();
  const admin = new Redis(server.url);
  configure({ ...options, connection: server.url });
  const worker = await createWorker({ tasks: [parker], concurrency: 50 });
  try {
    await park(parker, PARKED_FOR_WARM_UP);
    const eventsKey = runtime().queue(parker.id).keys.events as string;
    const memory = async () => (await usedMemory(admin)) - Number((await admin.memory("USAGE", eventsKey, "SAMPLES", "0")) ?? 0);
    const before = await memory();
    await park(parker, PARKED_FOR_MEMORY);
    return ((await memory()) - before) / PARKED_FOR_MEMORY;
  } finally {
    await worker.close();
    configure(options);
    await admin.quit();
    await server.close();
  }
}

/**
 * Measures `resume_p50_ms`, `resume_p99_ms`, `bullmq_pickup_p50_ms`, `resume_p50_ratio`,
 * `bytes_per_parked_run` and `bytes_per_timer_parked_run`. `options` are the bench's
 * `configure()` options, its connection the bench's Redis.
 */
export async function measureWaitpointResume(options: DurabullOptions & { connection: string }): Promise<Figures> {
  const bytesOnToken = await bytesPerParkedRun(options, parked);
  const bytesOnTimer = await bytesPerParkedRun(options, sleeping);
  parkedTokens.length = 0;
  const worker = await createWorker({ tasks: [parked], concurrency: 50 });
  await park(parked, RUNS);
  const resumes: number[] = [];
  for (const tokenId of parkedTokens) {
    const completedAt = performance.now();
    await wait.completeToken(tokenId, "go");
    while (!resumedAt.has(tokenId)) await sleep(0);
    resumes.push(resumedAt.get(tokenId)! - completedAt);
  }
  await worker.close();
  const pickups = await bullmqPickups(options.connection);
  const resumeP50 = percentile(resumes, 50);
  const pickupP50 = percentile(pickups, 50);
  return {
    resume_p50_ms: resumeP50,
    resume_p99_ms: percentile(resumes, 99),
    bullmq_pickup_p50_ms: pickupP50,
    resume_p50_ratio: resumeP50 / pickupP50,
    bytes_per_parked_run: bytesOnToken,
    bytes_per_timer_parked_run: bytesOnTimer,
  };
}
