/**
 * The render-video example over real HTTP: the fake partner POSTs to the token's URL, which the
 * HTTP service (served here on the port of `publicUrl`) turns into the token's completion. A
 * wrapper around the service records how it answered each callback.
 */
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp, createWorker, wait, type DurabullWorker } from "../../src/index.js";
import { freePort } from "../../src/redis/redis-server-process.js";
import { renderVideo } from "../../examples/render-video.js";
import { submitRender } from "../../examples/support/fake-partner.js";
import { MemoryLogger, useDurabull } from "../support/durabull-test-env.js";
import { serveApp, type Served } from "../support/http-helpers.js";
import { waitForStatus } from "../support/run-helpers.js";

const port = await freePort();
useDurabull({ secretKey: "examples-render-video-secret", publicUrl: `http://127.0.0.1:${port}` });

/** The service's JSON answers to callbacks (`{ id, completed, status }`, or an error), in the order answered. */
const answers: unknown[] = [];
let service: Served;
let worker: DurabullWorker;

beforeAll(async () => {
  const durabull = createApp();
  const recording = new Hono().all("*", async (c) => {
    const response = await durabull.fetch(c.req.raw);
    if (c.req.path.includes("/callback/")) answers.push(await response.clone().json());
    return response;
  });
  service = await serveApp(recording, port);
  worker = await createWorker({ tasks: [renderVideo] });
});

afterAll(async () => {
  await worker.close();
  await service.close();
});

/** The token of the run rendering `videoId`, found by its tag. */
async function tokenOf(videoId: string) {
  const [token] = await wait.listTokens({ tags: `video:${videoId}` });
  if (!token) throw new Error(`no token tagged video:${videoId}`);
  return token;
}

describe("example: render video", () => {
  it("parks until the partner calls back, then returns the rendered video's URL", async () => {
    const { id } = await renderVideo.trigger({ videoId: "intro", renderDelayMs: 300 });
    const parked = await waitForStatus(id, "WAITING");
    expect(parked.waitingOn).toEqual([expect.objectContaining({ kind: "token" })]);

    const run = await waitForStatus(id, "COMPLETED");
    expect(run.output).toEqual({ videoId: "intro", jobId: expect.stringMatching(/^render_/), url: "https://cdn.example.com/renders/intro.mp4" });
    const token = await tokenOf("intro");
    expect(token).toMatchObject({ status: "COMPLETED", output: { status: "rendered", url: "https://cdn.example.com/renders/intro.mp4" } });
    expect(answers).toContainEqual({ id: token.id, completed: true, status: "COMPLETED" });
  });

  it("fails at once when the partner does not call back in time, and the late callback changes nothing", async () => {
    const { id } = await renderVideo.trigger({ videoId: "slow", renderDelayMs: 2_000, callbackTimeout: "0.5s" });
    const run = await waitForStatus(id, "FAILED");
    expect(run.error?.message).toMatch(/did not call back .* within 0\.5s/);
    expect(run.attemptCount).toBe(1);

    const token = await tokenOf("slow");
    await vi.waitFor(() => expect(answers).toContainEqual({ id: token.id, completed: false, status: "TIMED_OUT" }), { timeout: 20_000 });
    expect((await tokenOf("slow")).status).toBe("TIMED_OUT");
  });
});

describe("the fake partner", () => {
  it("logs a callback the service refuses, and one it cannot deliver", async () => {
    const log = new MemoryLogger();
    submitRender({ videoId: "forged", callbackUrl: `${service.url}/api/v1/waitpoints/tokens/waitpoint_x/callback/${"0".repeat(64)}`, delayMs: 0 }, log);
    submitRender({ videoId: "unreachable", callbackUrl: `http://127.0.0.1:${await freePort()}/callback`, delayMs: 0 }, log);
    await vi.waitFor(() => expect(log.lines).toHaveLength(2), { timeout: 20_000 });
    expect(log.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^error fake partner: the callback for render_\S+ \(video forged\) was refused with 401: /),
        expect.stringMatching(/^error fake partner: the callback for render_\S+ \(video unreachable\) failed: fetch failed \(.*ECONNREFUSED.*\)/),
      ]),
    );
  });
});
