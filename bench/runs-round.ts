/**
 * One side of one round of the runs bench, in a process of its own (see runs-throughput.ts):
 * `BENCH_SIDE=bullmq` enqueues trivial jobs to plain BullMQ, `BENCH_SIDE=durabull` triggers
 * trivial runs (configured from the `DURABULL_*` environment); either way `BENCH_RUNS` of them in
 * batches of 1,000 with a worker of concurrency 50 on `DURABULL_REDIS_URL`, after a warm-up of 3,000,
 * and prints, as its one line of output, the rate (enqueued and completed per second) and this
 * process's CPU time per run in µs (user and system, from `process.cpuUsage()`; the process both
 * enqueues and executes, alike on both sides).
 */
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { setTimeout as sleep } from "node:timers/promises";
import { configure, createWorker, disconnect, task } from "../src/index.js";
import { runtime } from "../src/engine/runtime.js";
import { quietLogger } from "./quiet-logger.js";
import { timing } from "./timing.js";

const CONCURRENCY = 50;
const BATCH = 1_000;
/** Runs before the measured ones, so that both sides are measured with their code compiled. */
const WARM_UP = 3_000;

const trivial = task({ id: "bench-trivial", run: async () => "ok" });

async function untilCompleted(queue: Queue, count: number): Promise<void> {
  while ((await queue.getCompletedCount()) < count) await sleep(5);
}

/** What one measured round gives. */
interface RoundFigures {
  rate: number;
  cpuUsPerRun: number;
}

/**
 * Enqueues `total` in batches with `enqueue(count)`, waits for `completed`; answers the rate and
 * the CPU this process took per run, from the first batch to the last completion.
 */
async function measured(total: number, enqueue: (count: number) => Promise<unknown>, completed: () => Promise<void>): Promise<RoundFigures> {
  const spent = timing();
  for (let offset = 0; offset < total; offset += BATCH) await enqueue(Math.min(BATCH, total - offset));
  await completed();
  const { elapsedMs, cpuUs } = spent();
  return { rate: total / (elapsedMs / 1000), cpuUsPerRun: cpuUs / total };
}

async function plainBullmqRound(url: string, total: number, label: string): Promise<RoundFigures> {
  const name = `plain-${process.pid}-${label}`;
  const producer = new Redis(url);
  const consumer = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue(name, { connection: producer, prefix: "bench-plain" });
  const worker = new Worker(name, async () => "ok", { connection: consumer, prefix: "bench-plain", concurrency: CONCURRENCY });
  await worker.waitUntilReady();
  const figures = await measured(
    total,
    (count) => queue.addBulk(Array.from({ length: count }, () => ({ name: "trivial", data: {} }))),
    () => untilCompleted(queue, total),
  );
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await Promise.all([producer.quit(), consumer.quit()]);
  return figures;
}

async function durabullRound(total: number): Promise<RoundFigures> {
  const worker = await createWorker({ tasks: [trivial], concurrency: CONCURRENCY });
  const queue = runtime().queue(trivial.id);
  const before = await queue.getCompletedCount();
  const figures = await measured(
    total,
    (count) => trivial.batchTrigger(Array.from({ length: count }, () => ({ payload: undefined }))),
    () => untilCompleted(queue, before + total),
  );
  await worker.close();
  return figures;
}

const url = process.env.DURABULL_REDIS_URL!;
const total = Number(process.env.BENCH_RUNS);
if (process.env.BENCH_SIDE === "bullmq") {
  await plainBullmqRound(url, WARM_UP, "warm-up");
  console.log(JSON.stringify(await plainBullmqRound(url, total, "measured")));
} else {
  configure({ logger: quietLogger });
  await durabullRound(WARM_UP);
  console.log(JSON.stringify(await durabullRound(total)));
  await disconnect();
}
