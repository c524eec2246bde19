/**
 * `npm run bench`: starts a private redis-server, measures durabull against plain BullMQ and
 * plain Redis in the same run, prints the figures and merges them into bench/results.json.
 * BENCH_RUNS (default 10000) and BENCH_ROUNDS (default 5) size it; BENCH_SECTIONS (a comma list of
 * runs, steps, waitpoints, http) runs some sections only.
 */
import { configure, disconnect } from "../src/index.js";
import { RedisServerProcess } from "../src/redis/redis-server-process.js";
import { quietLogger } from "./quiet-logger.js";
import { printFigures, writeFigures, type Figures } from "./results.js";
import { measureRunThroughput } from "./runs-throughput.js";
import { measureStepThroughput } from "./step-throughput.js";
import { measureWaitpointResume } from "./waitpoint-resume.js";
import { measureHttpCompletions } from "./http-completions.js";

const total = Number(process.env.BENCH_RUNS ?? 10_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);

const server = await RedisServerProcess.start();
const options = { connection: server.url, prefix: "bench", logger: quietLogger, secretKey: "bench-secret-0123456789abcdef" };
configure(options);
try {
  const figures: Figures = {};
  console.log(`durabull bench: ${total} runs per round, ${rounds} rounds, Node ${process.version}, Redis on ${server.url}`);
  const sections: Record<string, () => Promise<Figures>> = {
    runs: () => measureRunThroughput(server.url, total, rounds, options.prefix),
    steps: () => measureStepThroughput(server.url, rounds),
    waitpoints: () => measureWaitpointResume(options),
    http: () => measureHttpCompletions(rounds, server.pid!),
  };
  const chosen = process.env.BENCH_SECTIONS?.split(",") ?? Object.keys(sections);
  for (const name of chosen) {
    const measure = sections[name];
    if (!measure) throw new Error(`BENCH_SECTIONS: no section "${name}"; there are ${Object.keys(sections).join(", ")}`);
    Object.assign(figures, await measure());
  }
  printFigures(figures);
  await writeFigures(figures);
  console.log("written to bench/results.json");
} finally {
  await disconnect();
  await server.close();
}
