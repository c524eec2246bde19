/**
 * Trivial runs per second through durabull against plain BullMQ jobs per second, same Redis,
 * same concurrency, same method (runs-round.ts). Each side of each round runs in a fresh process:
 * once a run has executed in a process, durabull's promise hooks (engine/promise-context.ts) see
 * every promise there, so a baseline sharing the process would pay part of durabull's cost and
 * flatter the ratio.
 * Each round measures both back to back; the figures are the medians of each side, and the ratio
 * the median of the rounds' ratios, so a machine whose speed drifts between rounds (shared
 * cores) compares like with like. Beside the rates it gives each side's CPU time per run (the
 * medians over the rounds), which the machine's drift moves less than it moves rates.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { median, pairedRounds, type Figures } from "./results.js";

const ROUND = new URL("./runs-round.ts", import.meta.url).pathname;

type Side = "bullmq" | "durabull";

/** Runs one side of a round in a process of its own; answers its rate, and adds its CPU per run to `cpu`. */
async function round(side: Side, url: string, total: number, prefix: string, cpu: number[]): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", ROUND], {
    env: { ...process.env, BENCH_SIDE: side, BENCH_RUNS: String(total), DURABULL_REDIS_URL: url, DURABULL_PREFIX: prefix },
  });
  const last = stdout.trim().split("\n").at(-1) ?? "";
  const figures = (last.startsWith("{") ? JSON.parse(last) : {}) as { rate?: number; cpuUsPerRun?: number };
  if (!(typeof figures.rate === "number" && typeof figures.cpuUsPerRun === "number")) {
    throw new Error(`runs bench, ${side} side: no figures in its output ${JSON.stringify(stdout)}`);
  }
  cpu.push(figures.cpuUsPerRun);
  return figures.rate;
}

/**
 * Measures both sides: `runs_per_s`, `bullmq_jobs_per_s`, `runs_per_s_ratio`, and the CPU time
 * per run, `runs_cpu_us` and `bullmq_cpu_us`. `prefix` is the bench's durabull prefix.
 */
export async function measureRunThroughput(url: string, total: number, rounds: number, prefix: string): Promise<Figures> {
  const cpu: Record<Side, number[]> = { bullmq: [], durabull: [] };
  const pairs = await pairedRounds(
    rounds,
    () => round("bullmq", url, total, prefix, cpu.bullmq),
    () => round("durabull", url, total, prefix, cpu.durabull),
  );
  return {
    runs_per_s: pairs.ours,
    bullmq_jobs_per_s: pairs.baseline,
    runs_per_s_ratio: pairs.ratio,
    runs_cpu_us: median(cpu.durabull),
    bullmq_cpu_us: median(cpu.bullmq),
  };
}
