/**
 * The dashboard in a real headless Chromium (Debian's `chromium`, driven by playwright-core):
 * Bull Board lists the example queues, the waitpoints view lists a waiting token, completing it
 * from the page resumes the run, and the run view shows the journal. Screenshots go to
 * test-output/dashboard/.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTasks } from "../../worker/load-tasks.js";
import { startHttpServer, type HttpServer } from "../../src/cli/http-server.js";
import { createWorker, tasks, type DurabullWorker } from "../../src/index.js";
import { freePort } from "../../src/redis/redis-server-process.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOTS = join("test-output", "dashboard");
const SECRET = "browser-test-secret-0123456789";
const port = await freePort();
useDurabull({ secretKey: SECRET, publicUrl: `http://127.0.0.1:${port}` });

let browser: Browser;
let page: Page;
let server: HttpServer;
let worker: DurabullWorker;
const base = `http://127.0.0.1:${port}/dashboard`;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (.ci/run does) or set CHROMIUM_PATH.`);
  await mkdir(SHOTS, { recursive: true });
  worker = await createWorker({ tasks: await loadTasks(["examples"]) });
  server = await startHttpServer({ port, hostname: "127.0.0.1", dashboard: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext({ httpCredentials: { username: "ops", password: SECRET }, viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await worker?.close();
});

describe("dashboard in Chromium", () => {
  it("lists the example queues, completes a waiting token from the page, and shows the run's journal", async () => {
    const { id } = await tasks.trigger("refund-approval", { orderId: "ord-browser", amountCents: 1250, customer: { id: "cus_1", email: "ada@example.com" } });
    const parked = await waitForStatus(id, "WAITING");
    const wait = parked.waitingOn?.[0];
    if (wait?.kind !== "token") throw new Error(`the refund run waits on ${JSON.stringify(parked.waitingOn)}`);

    await page.goto(base);
    await page.getByText("refund-approval").first().waitFor();
    for (const queue of worker.queues) await expect(page.getByText(queue).first().isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(SHOTS, "1-bull-board.png"), fullPage: true });

    await page.goto(`${base}/waitpoints?status=WAITING`);
    const row = page.locator(`tr[data-token="${wait.id}"]`);
    await row.waitFor();
    await expect(row.locator(".countdown").textContent()).resolves.toMatch(/^in \d+/);
    await row.locator("textarea").fill('{"approved": true, "note": "from the browser"}');
    await page.screenshot({ path: join(SHOTS, "2-waitpoints.png"), fullPage: true });
    await row.getByRole("button", { name: "Complete" }).click();
    await page.getByText(`Completed ${wait.id}.`).waitFor();
    await page.screenshot({ path: join(SHOTS, "3-completed.png"), fullPage: true });

    const done = await waitForStatus(id, "COMPLETED");
    expect(JSON.stringify(done.output)).toContain("from the browser");

    await page.goto(`${base}/runs/${id}`);
    await page.locator('li[data-kind="token.wait"]').waitFor();
    await expect(page.locator("ol.timeline li").count()).resolves.toBeGreaterThanOrEqual(3);
    await expect(page.locator('li[data-kind="token.wait"]').textContent()).resolves.toContain("from the browser");
    await page.screenshot({ path: join(SHOTS, "4-run-journal.png"), fullPage: true });
  });
});
