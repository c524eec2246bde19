/**
 * The HTTP service: waitpoint token completions per second through `token.url` (the callback a
 * partner POSTs to: signature check, JSON body, the token's settle script) beside a trivial Hono
 * route and the floor (`floor-app.ts`: only the work a completion cannot skip, written plainly),
 * all served the same way (@hono/node-server, a child process each, loopback), driven by
 * autocannon with the same connections and request count, in rounds of the three after a warm-up
 * round of each. The tokens of every round are made before the first, so that making them (and the
 * garbage that leaves in this process, which also runs autocannon) falls in no measured round.
 * Each round also counts the CPU time per request of every process it kept busy — the server,
 * Redis where it is used, and this process as the load generator — since the machine's drift in
 * speed moves those less than the rates.
 */
import autocannon from "autocannon";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { wait, type WaitpointToken } from "../src/index.js";
import { runtime } from "../src/engine/runtime.js";
import { freePort } from "../src/redis/redis-server-process.js";
import { processCpuUs } from "./process-cpu.js";
import { median, pairedRounds, type Figures } from "./results.js";

const REQUESTS = 50_000;
const CONNECTIONS = 50;
const BODY = JSON.stringify({ status: "rendered", url: "https://cdn.example/video.mp4" });

interface Server {
  url: string;
  child: ChildProcess;
}

async function startServer(app: string): Promise<Server> {
  const port = await freePort();
  const { settings } = runtime();
  const child = spawn(process.execPath, ["--import", "tsx", new URL("./http-server.ts", import.meta.url).pathname], {
    env: {
      ...process.env,
      BENCH_HTTP_APP: app,
      PORT: String(port),
      DURABULL_REDIS_URL: settings.connection as string,
      DURABULL_PREFIX: settings.prefix,
      DURABULL_SECRET_KEY: settings.secretKey,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await once(child.stdout!, "data");
  return { url: `http://127.0.0.1:${port}`, child };
}

async function stopServer({ child }: Server): Promise<void> {
  child.kill("SIGTERM");
  await once(child, "exit");
}

/** What one round measured: requests per second, and CPU time per request. */
interface Round {
  rate: number;
  /** Of each of the serving processes, in the order given. */
  servingCpuUs: number[];
  /** Of this process, the load generator. */
  loadCpuUs: number;
}

/**
 * Sends `REQUESTS` POSTs, the path of each from `pathOf`, to processes `serving`; answers the
 * requests per second and CPU per request from the first request to the last answer (autocannon's
 * own duration counts in whole-second ticks). Throws if any request failed.
 */
async function measureRound(url: string, pathOf: (index: number) => string, serving: number[]): Promise<Round> {
  let sent = 0;
  let answered = 0;
  let lastAnswer = 0;
  const cpuNow = () => {
    const own = process.cpuUsage();
    return [...serving.map(processCpuUs), own.user + own.system];
  };
  let cpuAtEnd: number[] = [];
  const cpuAtStart = cpuNow();
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        amount: REQUESTS,
        requests: [{ method: "POST", headers: { "content-type": "application/json" }, body: BODY, setupRequest: (request) => ({ ...request, path: pathOf(sent++) }) }],
      },
      (error, done) => (error ? reject(error as Error) : resolve(done)),
    );
    instance.on("response", () => {
      answered += 1;
      lastAnswer = performance.now();
      if (answered === REQUESTS) cpuAtEnd = cpuNow();
    });
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} answers not 2xx, ${result.errors} errors`);
  const perRequest = cpuAtEnd.map((used, index) => (used - cpuAtStart[index]!) / answered);
  return { rate: (answered * 1000) / (lastAnswer - started), servingCpuUs: perRequest.slice(0, -1), loadCpuUs: perRequest.at(-1)! };
}

/** `count` new tokens' callback paths. */
async function callbackPaths(count: number): Promise<string[]> {
  const tokens: WaitpointToken[] = [];
  for (let i = 0; i < count; i += 500) tokens.push(...(await Promise.all(Array.from({ length: 500 }, () => wait.createToken({ timeout: "1h" })))));
  return tokens.map((token) => new URL(token.url).pathname);
}

/**
 * Measures `http_completions_per_s`, `http_trivial_per_s` and `http_completion_ratio`, in paired
 * rounds (see `pairedRounds`), with the floor measured between the two sides of each round:
 * `http_floor_per_s`, `http_floor_ratio` (floor / trivial) and `http_completion_floor_ratio`
 * (completions / floor), medians of the rounds. Also the medians of CPU time per request:
 * `http_trivial_cpu_us` (trivial server and load generator), `http_completion_cpu_us` (service,
 * Redis and load generator), `http_service_cpu_us` (the service alone) and `http_floor_cpu_us`
 * (the floor's server alone). `redisPid` is the Redis server's.
 */
export async function measureHttpCompletions(rounds: number, redisPid: number): Promise<Figures> {
  const [trivial, floor, service] = await Promise.all([startServer("trivial"), startServer("floor"), startServer("durabull")]);
  try {
    const paths = await callbackPaths(REQUESTS * (rounds + 1));
    const roundPaths = (round: number) => (index: number) => paths[REQUESTS * round + index]!;
    const trivialRound = () => measureRound(trivial.url, () => "/trivial", [trivial.child.pid!]);
    const floorRound = (round: number) => measureRound(floor.url, roundPaths(round), [floor.child.pid!, redisPid]);
    const completionRound = async (round: number) => {
      const measured = await measureRound(service.url, roundPaths(round), [service.child.pid!, redisPid]);
      const tokenId = decodeURIComponent(roundPaths(round)(REQUESTS - 1).split("/")[5]!);
      if ((await wait.retrieveToken(tokenId)).status !== "COMPLETED") throw new Error(`token ${tokenId} was not completed`);
      return measured;
    };
    await trivialRound();
    await floorRound(rounds);
    await completionRound(rounds);
    const rates = { trivial: [] as number[], floor: [] as number[], completion: [] as number[] };
    const cpu = { trivial: [] as number[], completion: [] as number[], service: [] as number[], floor: [] as number[] };
    const pairs = await pairedRounds(
      rounds,
      async () => {
        const { rate, servingCpuUs, loadCpuUs } = await trivialRound();
        cpu.trivial.push(servingCpuUs[0]! + loadCpuUs);
        rates.trivial.push(rate);
        return rate;
      },
      async (round) => {
        const floorMeasured = await floorRound(round);
        cpu.floor.push(floorMeasured.servingCpuUs[0]!);
        rates.floor.push(floorMeasured.rate);
        const { rate, servingCpuUs, loadCpuUs } = await completionRound(round);
        cpu.completion.push(servingCpuUs[0]! + servingCpuUs[1]! + loadCpuUs);
        cpu.service.push(servingCpuUs[0]!);
        rates.completion.push(rate);
        return rate;
      },
    );
    const ratios = (ours: number[], baseline: number[]) => median(ours.map((rate, round) => rate / baseline[round]!));
    return {
      http_completions_per_s: pairs.ours,
      http_trivial_per_s: pairs.baseline,
      http_completion_ratio: pairs.ratio,
      http_floor_per_s: median(rates.floor),
      http_floor_ratio: ratios(rates.floor, rates.trivial),
      http_completion_floor_ratio: ratios(rates.completion, rates.floor),
      http_trivial_cpu_us: median(cpu.trivial),
      http_completion_cpu_us: median(cpu.completion),
      http_service_cpu_us: median(cpu.service),
      http_floor_cpu_us: median(cpu.floor),
    };
  } finally {
    await Promise.all([stopServer(trivial), stopServer(floor), stopServer(service)]);
  }
}
