/**
 * The incident commands of the `durabull` CLI (`queues`, `tokens`, `runs`), run as child
 * processes against the test Redis while this process runs the worker: pausing and resuming a
 * queue, completing and timing out tokens that parked runs wait on, reading and canceling runs,
 * and refusing bad usage with exit code 2 without changing anything.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorker, queues, runs, task, wait, type DurabullWorker } from "../../src/index.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";
import { runScriptToEnd, type ScriptResult } from "../support/script-process.js";

const SECRET = "cli-incident-secret-0123456789";
const env = useDurabull({ secretKey: SECRET });

/** Generous: each command starts a Node process through tsx, on a machine other tests share. */
const TEST_TIMEOUT = 180_000;
const STATUS_TIMEOUT = 60_000;

/** Runs `durabull <args>` as a child process on this file's Redis prefix. */
function durabull(...args: string[]): Promise<ScriptResult> {
  return runScriptToEnd("src/cli/main.ts", args, { ...process.env, DURABULL_REDIS_URL: env.url, DURABULL_PREFIX: env.prefix, DURABULL_SECRET_KEY: SECRET });
}

/** Runs `durabull <args>` and expects it to succeed; answers what it printed. */
async function succeeds(...args: string[]): Promise<string> {
  const result = await durabull(...args);
  expect(result, `durabull ${args.join(" ")}`).toMatchObject({ code: 0, stderr: "" });
  return result.stdout;
}

const pausable = task({ id: "cli-pausable", run: async () => "ran" });
const control = task({ id: "cli-control", run: async () => "ok" });
const approval = task({
  id: "cli-approval",
  run: async () => {
    const token = await wait.createToken({ timeout: "1h", tags: ["cli", "approval"] });
    const result = await wait.forToken(token);
    return result.ok ? { decision: result.output } : { timedOut: true };
  },
});
const sleeper = task({ id: "cli-sleeper", run: async () => void (await wait.for({ hours: 1 })) });

let worker: DurabullWorker;
beforeAll(async () => {
  worker = await createWorker({ tasks: [pausable, control, approval, sleeper] });
});
afterAll(async () => {
  await worker.close();
});

/** The token a WAITING run is parked on. */
async function parkedToken(runId: string): Promise<string> {
  const run = await waitForStatus(runId, "WAITING", STATUS_TIMEOUT);
  const waitingOn = run.waitingOn?.find((waited) => waited.kind === "token");
  if (!waitingOn) throw new Error(`run ${runId} waits on no token: ${JSON.stringify(run.waitingOn)}`);
  return waitingOn.id;
}

describe("durabull queues", { timeout: TEST_TIMEOUT }, () => {
  it("pauses a queue so that a run triggered after stays queued, lists it, and resumes it so that the run completes", async () => {
    const before = await pausable.trigger();
    await waitForStatus(before.id, "COMPLETED", STATUS_TIMEOUT);

    expect(await succeeds("queues", "pause", "cli-pausable")).toBe('paused queue "cli-pausable"\n');
    const held = await pausable.trigger();
    // The worker keeps executing other queues' runs; the paused queue's run is not started.
    const { id: controlId } = await control.trigger();
    await waitForStatus(controlId, "COMPLETED", STATUS_TIMEOUT);
    await sleep(1_000);
    expect((await runs.retrieve(held.id)).status).toBe("QUEUED");

    const table = await succeeds("queues", "list");
    expect(table.split("\n")[0]).toMatch(/^NAME\s+PAUSED\s+LIMIT\s+QUEUED\s+EXECUTING\s+WAITING\s+DELAYED\s+COMPLETED\s+FAILED$/);
    expect(table).toMatch(/^cli-pausable\s+yes\s+-\s+1\s+0\s+0\s+0\s+1\s+0$/m);
    expect(table).toMatch(/^cli-control\s+no\s/m);
    const listed = JSON.parse(await succeeds("queues", "list", "--json")) as { name: string; paused: boolean; counts: { queued: number } }[];
    expect(listed.find((queue) => queue.name === "cli-pausable")).toMatchObject({ paused: true, counts: { queued: 1 } });
    expect(await succeeds("runs", "get", held.id)).toMatch(/^status:\s+QUEUED$/m);
    expect(await succeeds("queues", "pause", "cli-pausable")).toBe('queue "cli-pausable" was already paused\n');

    expect(await succeeds("queues", "resume", "cli-pausable")).toBe('resumed queue "cli-pausable"\n');
    expect((await waitForStatus(held.id, "COMPLETED", STATUS_TIMEOUT)).output).toBe("ran");
  });

  it("reports an unknown queue on stderr with exit code 1, and bad usage with exit code 2", async () => {
    const [unknown, missing, both] = await Promise.all([
      durabull("queues", "pause", "no-such-queue"),
      durabull("queues", "resume"),
      durabull("queues", "pause", "cli-pausable", "--all"),
    ]);
    expect(unknown).toMatchObject({ code: 1, stdout: "", stderr: 'No queue named "no-such-queue".\n' });
    expect(missing).toMatchObject({ code: 2, stdout: "" });
    expect(missing.stderr).toContain("Usage: durabull queues");
    expect(both.code).toBe(2);
    expect((await queues.list()).map((queue) => queue.name)).not.toContain("no-such-queue");
  });
});

describe("durabull tokens", { timeout: TEST_TIMEOUT }, () => {
  it("lists the token a run waits on, refuses output that is not JSON, and completes it so that the run resumes with the output", async () => {
    const { id: runId } = await approval.trigger();
    const tokenId = await parkedToken(runId);

    const table = await succeeds("tokens", "list", "--status", "waiting", "--tag", "cli", "--tag", "approval");
    expect(table.split("\n")[0]).toMatch(/^ID\s+STATUS\s+TAGS\s+CREATED\s+TIMEOUT\s+RUNS$/);
    expect(table).toMatch(new RegExp(`^${tokenId}\\s+WAITING\\s+cli, approval\\s+\\S+Z\\s+\\S+Z\\s+${runId}$`, "m"));
    expect(await succeeds("tokens", "list", "--tag", "cli", "--tag", "no-such-tag")).not.toContain(tokenId);

    const refused = await durabull("tokens", "complete", tokenId, "{approved: yes}");
    expect(refused).toMatchObject({ code: 2, stdout: "" });
    expect(refused.stderr).toContain("The output must be JSON");
    expect((await wait.retrieveToken(tokenId)).status).toBe("WAITING");
    expect((await runs.retrieve(runId)).status).toBe("WAITING");

    expect(await succeeds("tokens", "complete", tokenId, '{"approved":true}')).toBe(`completed token ${tokenId}\n`);
    const done = await waitForStatus(runId, "COMPLETED", STATUS_TIMEOUT);
    expect(done.output).toEqual({ decision: { approved: true } });
    expect(await succeeds("tokens", "complete", tokenId, "{}")).toBe(`token ${tokenId} was already settled (COMPLETED); nothing changed\n`);

    const details = await succeeds("runs", "get", runId);
    expect(details).toMatch(/^status:\s+COMPLETED$/m);
    expect(details).toMatch(/^output:\s+\{"decision":\{"approved":true\}\}$/m);
    expect(await succeeds("runs", "list", "--task", "cli-approval", "--status", "COMPLETED")).toMatch(new RegExp(`^${runId}\\s+COMPLETED\\s+cli-approval\\s`, "m"));
  });

  it("forces a token's timeout, so that the run waiting on it resumes with ok: false", async () => {
    const { id: runId } = await approval.trigger();
    const tokenId = await parkedToken(runId);
    expect(await succeeds("tokens", "timeout", tokenId)).toBe(`timed out token ${tokenId}\n`);
    expect((await waitForStatus(runId, "COMPLETED", STATUS_TIMEOUT)).output).toEqual({ timedOut: true });
    expect((await wait.retrieveToken(tokenId)).status).toBe("TIMED_OUT");
  });
});

describe("durabull runs", { timeout: TEST_TIMEOUT }, () => {
  it("shows what a parked run waits on and cancels it", async () => {
    const { id: runId } = await sleeper.trigger();
    await waitForStatus(runId, "WAITING", STATUS_TIMEOUT);

    const details = await succeeds("runs", "get", runId);
    expect(details).toMatch(/^status:\s+WAITING$/m);
    expect(details).toMatch(/^task:\s+cli-sleeper$/m);
    expect(details).toMatch(/^waiting on:\s+timer until \S+Z$/m);
    const json = JSON.parse(await succeeds("runs", "get", runId, "--json")) as { id: string; status: string };
    expect(json).toMatchObject({ id: runId, status: "WAITING" });

    expect(await succeeds("runs", "cancel", runId)).toBe(`canceled run ${runId}\n`);
    expect((await runs.retrieve(runId)).status).toBe("CANCELED");
    expect(await succeeds("runs", "cancel", runId)).toBe(`run ${runId} had already ended (CANCELED); nothing changed\n`);
    expect(await succeeds("runs", "list", "--status", "CANCELED")).toMatch(new RegExp(`^${runId}\\s+CANCELED\\s+cli-sleeper\\s`, "m"));
  });

  it("refuses a bad --limit and an unknown option with exit code 2", async () => {
    const [badLimit, unknownOption] = await Promise.all([durabull("runs", "list", "--limit", "ten"), durabull("runs", "list", "--bogus")]);
    expect(badLimit).toMatchObject({ code: 2, stdout: "" });
    expect(badLimit.stderr).toContain("--limit must be a whole number");
    expect(unknownOption).toMatchObject({ code: 2, stdout: "" });
    expect(unknownOption.stderr).toContain("Usage: durabull runs");
  });
});
