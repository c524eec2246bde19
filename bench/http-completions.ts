/**
 * The HTTP service: waitpoint token completions per second through `token.url` (the callback a
 * partner POSTs to: signature check, JSON body, the token's settle script) beside a trivial Hono
 * route served the same way (@hono/node-server, a child process, loopback), both driven by
 * autocannon with the same connections and request count, in paired rounds after a warm-up round
 * of each. The tokens of every round are made before the first, so that making them (and the
 * garbage that leaves in this process, which also runs autocannon) falls in no measured round.
 */
import autocannon from "autocannon";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { wait, type WaitpointToken } from "../src/index.js";
import { runtime } from "../src/engine/runtime.js";
import { freePort } from "../src/redis/redis-server-process.js";
import { pairedRounds, type Figures } from "./results.js";

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

/**
 * Requests per second of `REQUESTS` POSTs, the path of each from `pathOf`, from the first request
 * to the last answer (autocannon's own duration counts in whole-second ticks); throws if any failed.
 */
async function requestsPerSecond(url: string, pathOf: (index: number) => string): Promise<number> {
  let sent = 0;
  let answered = 0;
  let lastAnswer = 0;
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
    });
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} answers not 2xx, ${result.errors} errors`);
  return (answered * 1000) / (lastAnswer - started);
}

/** `count` new tokens' callback paths. */
async function callbackPaths(count: number): Promise<string[]> {
  const tokens: WaitpointToken[] = [];
  for (let i = 0; i < count; i += 500) tokens.push(...(await Promise.all(Array.from({ length: 500 }, () => wait.createToken({ timeout: "1h" })))));
  return tokens.map((token) => new URL(token.url).pathname);
}

/**
 * Measures `http_completions_per_s`, `http_trivial_per_s` and `http_completion_ratio`, in paired
 * rounds (see `pairedRounds`).
 */
export async function measureHttpCompletions(rounds: number): Promise<Figures> {
  const [trivial, service] = await Promise.all([startServer("trivial"), startServer("durabull")]);
  try {
    const paths = await callbackPaths(REQUESTS * (rounds + 1));
    const trivialRound = () => requestsPerSecond(trivial.url, () => "/trivial");
    const completionRound = async (round: number) => {
      const first = REQUESTS * round;
      const rate = await requestsPerSecond(service.url, (index) => paths[first + index]!);
      const tokenId = decodeURIComponent(paths[first + REQUESTS - 1]!.split("/")[5]!);
      if ((await wait.retrieveToken(tokenId)).status !== "COMPLETED") throw new Error(`token ${tokenId} was not completed`);
      return rate;
    };
    await trivialRound();
    await completionRound(rounds);
    const pairs = await pairedRounds(rounds, trivialRound, completionRound);
    return { http_completions_per_s: pairs.ours, http_trivial_per_s: pairs.baseline, http_completion_ratio: pairs.ratio };
  } finally {
    await Promise.all([stopServer(trivial), stopServer(service)]);
  }
}
