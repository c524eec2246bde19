import { describe, expect, it } from "vitest";
import { runtime } from "../../src/engine/runtime.js";
import { configure, ConfigurationError, task } from "../../src/index.js";
import { createDashboard } from "../../dashboard/index.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { basicAuth } from "../support/http-helpers.js";

const env = useDurabull();
const SECRET = "dashboard-secret-0123456789";
const reports = task({ id: "reports", run: async () => "ok" });
const later = task({ id: "later-queue", run: async () => "ok" });

describe("dashboard", () => {
  it("needs a secret key", () => {
    expect(() => createDashboard()).toThrow(ConfigurationError);
  });

  it("serves Bull Board behind basic auth, with every durabull queue, including ones that appear later", async () => {
    configure({ connection: env.url, prefix: env.prefix, secretKey: SECRET, logger: env.logger });
    await reports.trigger();
    const app = createDashboard({ queueRefreshMs: 0 });

    expect((await app.request("/")).status).toBe(401);
    expect((await app.request("/", { headers: basicAuth("wrong-password-000000") })).status).toBe(401);
    const page = await app.request("/", { headers: basicAuth(SECRET) });
    expect(page.status).toBe(200);
    const html = await page.text();
    const stylesheet = /href="(static\/css\/[^"]+\.css)"/.exec(html)?.[1];
    expect(stylesheet).toBeDefined();
    const css = await app.request(`/${stylesheet}`, { headers: basicAuth(SECRET) });
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toContain("text/css");

    const first = (await (await app.request("/api/queues", { headers: basicAuth(SECRET) })).json()) as { queues: { name: string }[] };
    expect(first.queues.map((queue) => queue.name)).toEqual(["reports"]);

    await later.trigger();
    const second = (await (await app.request("/api/queues", { headers: basicAuth(SECRET) })).json()) as { queues: { name: string; counts: Record<string, number> }[] };
    expect(second.queues.map((queue) => queue.name).sort()).toEqual(["later-queue", "reports"]);
    expect(second.queues.find((queue) => queue.name === "reports")?.counts.prioritized).toBe(1);
  });

  it("refuses to change a run's priority or add a job by hand", async () => {
    configure({ connection: env.url, prefix: env.prefix, secretKey: SECRET, logger: env.logger });
    const { id } = await reports.trigger();
    const jobKey = `${runtime().keys.bullPrefix("reports")}:reports:${id}`;
    const before = await env.redis.hget(jobKey, "priority");
    const app = createDashboard({ queueRefreshMs: 0 });
    const priority = await app.request(`/api/queues/reports/${id}/priority`, {
      method: "PATCH",
      headers: { ...basicAuth(SECRET), "content-type": "application/json" },
      body: JSON.stringify({ priority: 0 }),
    });
    expect(priority.status).toBe(403);
    const added = await app.request("/api/queues/reports/add", {
      method: "POST",
      headers: { ...basicAuth(SECRET), "content-type": "application/json" },
      body: JSON.stringify({ name: "x", data: {} }),
    });
    expect(added.status).toBe(403);
    expect(Number(before)).toBeGreaterThan(0);
    expect(await env.redis.hget(jobKey, "priority")).toBe(before);
  });
});
