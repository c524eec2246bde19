import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, createWorker, runs, step, task, wait } from "../../src/index.js";
import { freePort } from "../../src/redis/redis-server-process.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { serveApp, type Served } from "../support/http-helpers.js";
import { waitForStatus } from "../support/run-helpers.js";

const SECRET = "render-video-secret-0123456789";
const port = await freePort();
useDurabull({ secretKey: SECRET, publicUrl: `http://127.0.0.1:${port}` });

/** What the fake partner was asked, and how our service answered its callback. */
const partner = { requests: [] as { videoId: string; callbackUrl: string }[], callbackStatuses: [] as number[], url: "" };
let partnerServer: Server;
let service: Served;

const renderVideo = task({
  id: "render-video",
  run: async ({ videoId }: { videoId: string }) => {
    const token = await wait.createToken({ timeout: "1m", tags: [`video:${videoId}`] });
    await step.run("ask-partner", async () => {
      const response = await fetch(`${partner.url}/render`, { method: "POST", body: JSON.stringify({ videoId, callbackUrl: token.url }) });
      return response.status;
    });
    return wait.forToken<{ status: string; url: string }>(token).unwrap();
  },
});

beforeAll(async () => {
  service = await serveApp(createApp(), port);
  partnerServer = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const job = JSON.parse(body) as { videoId: string; callbackUrl: string };
      partner.requests.push(job);
      response.writeHead(202).end();
      setTimeout(async () => {
        const callback = await fetch(job.callbackUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ status: "rendered", url: `https://cdn.example/${job.videoId}.mp4` }),
        });
        partner.callbackStatuses.push(callback.status);
      }, 300);
    });
  });
  await new Promise<void>((resolve) => partnerServer.listen(0, "127.0.0.1", resolve));
  partner.url = `http://127.0.0.1:${(partnerServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await service.close();
  await new Promise((resolve) => partnerServer.close(resolve));
});

describe("the render-video shape over real HTTP", () => {
  it("parks on a token whose URL a partner POSTs back to, and resumes with the partner's JSON", async () => {
    const worker = await createWorker({ tasks: [renderVideo] });
    try {
      const { id } = await renderVideo.trigger({ videoId: "v42" });
      const parked = await waitForStatus(id, "WAITING");
      expect(parked.waitingOn).toEqual([expect.objectContaining({ kind: "token" })]);

      const run = await waitForStatus(id, "COMPLETED");
      expect(run.output).toEqual({ status: "rendered", url: "https://cdn.example/v42.mp4" });
      expect(partner.requests).toHaveLength(1);
      expect(partner.requests[0]!.callbackUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/api/v1/waitpoints/tokens/waitpoint_\\w+/callback/[0-9a-f]{64}$`));
      expect(partner.callbackStatuses).toEqual([200]);

      const again = await fetch(partner.requests[0]!.callbackUrl, { method: "POST", body: JSON.stringify({ status: "late duplicate" }) });
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ completed: false, status: "COMPLETED" });
      const [token] = await wait.listTokens({ tags: "video:v42" });
      expect(token).toMatchObject({ status: "COMPLETED", output: { status: "rendered", url: "https://cdn.example/v42.mp4" } });
      expect((await runs.retrieve(id)).output).toEqual(run.output);
    } finally {
      await worker.close();
    }
  });
});
