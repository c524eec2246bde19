/**
 * Trivial runs per second through durabull against plain BullMQ jobs per second, same Redis,
 * same concurrency, same method (runs-round.ts). Each side of each round runs in a fresh process:
 * once a run has executed in a process, durabull's AsyncLocalStorage hooks every promise there,
 * so a baseline sharing the process would pay part of durabull's cost and flatter the ratio.
 * Each round measures both back to back; the figures are the medians of each side, and the ratio
 * the median of the rounds' ratios, so a machine whose speed drifts between rounds (shared
 * cores) compares like with like.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { pairedRounds, type Figures } from "./results.js";

const ROUND = new URL("./runs-round.ts", import.meta.url).pathname;

/** Runs one side of a round in a process of its own; answers its rate. */
async function round(side: "bullmq" | "durabull", url: string, total: number, prefix: string): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", ROUND], {
    env: { ...process.env, BENCH_SIDE: side, BENCH_RUNS: String(total), DURABULL_REDIS_URL: url, DURABULL_PREFIX: prefix },
  });
  const rate = Number(stdout.trim().split("\n").at(-1));
  if (!(rate > 0)) throw new Error(`runs bench, ${side} side: no rate in its output ${JSON.stringify(stdout)}`);
  return rate;
}

/** Measures both sides: `runs_per_s`, `bullmq_jobs_per_s`, `runs_per_s_ratio`. `prefix` is the bench's durabull prefix. */
export async function measureRunThroughput(url: string, total: number, rounds: number, prefix: string): Promise<Figures> {
  const pairs = await pairedRounds(rounds, () => round("bullmq", url, total, prefix), () => round("durabull", url, total, prefix));
  return { runs_per_s: pairs.ours, bullmq_jobs_per_s: pairs.baseline, runs_per_s_ratio: pairs.ratio };
}
