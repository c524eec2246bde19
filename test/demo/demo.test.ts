/**
 * The README's first command, `npm run demo`, as a newcomer runs it: no Redis configured and none
 * on the default address, so `durabull dev` starts a private redis-server; every example run
 * proceeds on its own except the refund, which the CLI's `tokens complete` approves; Ctrl-C
 * stops everything, the private Redis included.
 */
import { spawn, execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { answersPing, freePort } from "../../src/redis/redis-server-process.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const EXAMPLE_TASKS = ["render-video", "refund-approval", "export-invoices", "build-report", "publish-article", "welcome-sequence"];
const dataDir = await mkdtemp(join(tmpdir(), "durabull-demo-"));

afterAll(() => rm(dataDir, { recursive: true, force: true }));

/** The environment of a newcomer's shell: nothing of durabull's configured. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("DURABULL_")));
  return { ...env, ...extra };
}

describe("npm run demo", () => {
  it("starts a private Redis, runs every example, and the CLI approves the refund", async () => {
    const [port, redisPort] = [await freePort(), await freePort()];
    const demo = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts", "--port", String(port), "--redis-port", String(redisPort), "--data-dir", dataDir], {
      cwd: ROOT,
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    demo.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    demo.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => demo.once("exit", resolve));
    const waitFor = async (pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(output);
        if (match) return match;
        if (Date.now() > deadline || demo.exitCode !== null) throw new Error(`demo output never matched ${pattern}:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    try {
      await waitFor(/Redis\s+redis:\/\/127\.0\.0\.1:\d+ \(private, started by durabull dev\)/);
      const [, tokenId] = await waitFor(/tokens complete (waitpoint_\w+) '\{"approved":true\}'/);
      const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "src/cli/main.ts", "tokens", "complete", tokenId!, '{"approved":true}'], {
        cwd: ROOT,
        env: cleanEnv({ DURABULL_REDIS_URL: `redis://127.0.0.1:${redisPort}` }),
      });
      expect(stdout).toContain(tokenId);
      await waitFor(/refund-approval\s+COMPLETED → .*"decision":"approved"/);
      for (const task of EXAMPLE_TASKS) await waitFor(new RegExp(`${task}\\s+COMPLETED → `));
      expect(output).not.toMatch(/FAILED|error:/);
    } finally {
      demo.kill("SIGINT");
    }
    expect(await exited).toBe(0);
    expect(await answersPing(redisPort)).toBe(false);
  });
});
