/**
 * The README's first command, `npm run demo`, as a newcomer runs it: no Redis configured and none
 * on the default address, so `durabull dev` starts a private redis-server; every example run
 * proceeds on its own except the refund, which the CLI's `tokens complete` approves; Ctrl-C
 * stops everything, the private Redis included.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { answersPing, freePort } from "../../src/redis/redis-server-process.js";
import { runScriptToEnd, ScriptProcess } from "../support/script-process.js";

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
    const demo = new ScriptProcess("scripts/demo.ts", ["--port", String(port), "--redis-port", String(redisPort), "--data-dir", dataDir], cleanEnv());
    const waitFor = (pattern: RegExp) => demo.waitForOutput(pattern, 60_000);
    try {
      await waitFor(/Redis\s+redis:\/\/127\.0\.0\.1:\d+ \(private, started by durabull dev\)/);
      const [, tokenId] = await waitFor(/tokens complete (waitpoint_\w+) '\{"approved":true\}'/);
      const { code, stdout } = await runScriptToEnd("src/cli/main.ts", ["tokens", "complete", tokenId!, '{"approved":true}'], cleanEnv({ DURABULL_REDIS_URL: `redis://127.0.0.1:${redisPort}` }));
      expect(code).toBe(0);
      expect(stdout).toContain(tokenId);
      await waitFor(/refund-approval\s+COMPLETED → .*"decision":"approved"/);
      for (const task of EXAMPLE_TASKS) await waitFor(new RegExp(`${task}\\s+COMPLETED → `));
      expect(demo.log).not.toMatch(/FAILED|error:/);
    } finally {
      await demo.kill("SIGINT");
    }
    expect(await demo.exited).toBe(0);
    expect(await answersPing(redisPort)).toBe(false);
  });
});
