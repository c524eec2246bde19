/**
 * The paginated-export example: one step per page, progress in the run's metadata that readers
 * see while the run is parked between pages, and the totals at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorker, type DurabullWorker } from "../../src/index.js";
import { exportInvoices } from "../../examples/paginated-export.js";
import { fakeInvoices } from "../../examples/support/fake-invoices.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";

useDurabull();

let worker: DurabullWorker;

beforeAll(async () => {
  worker = await createWorker({ tasks: [exportInvoices] });
});

afterAll(async () => {
  await worker.close();
});

describe("example: paginated export", () => {
  it("exports page by page, showing its progress while parked between pages, and returns the totals", async () => {
    const { id } = await exportInvoices.trigger({ organizationId: "org-1", invoiceCount: 95, pageSize: 20, pauseSeconds: 0.5 });

    const parked = await waitForStatus(id, "WAITING");
    const progress = parked.metadata.progress as { page: number; totalPages: number; percent: number };
    expect(progress.totalPages).toBe(5);
    expect(progress.page).toBeGreaterThanOrEqual(1);
    expect(progress.page).toBeLessThan(5);
    expect(progress.percent).toBe(progress.page * 20);

    const run = await waitForStatus(id, "COMPLETED");
    const everyInvoice = await fakeInvoices("org-1", 95).page(1, 95);
    expect(run.output).toEqual({
      exportId: id,
      pages: 5,
      rows: 95,
      amountCents: everyInvoice.reduce((sum, invoice) => sum + invoice.amountCents, 0),
      bytes: expect.any(Number),
    });
    expect(run.metadata).toEqual({ progress: { page: 5, totalPages: 5, percent: 100 } });
  });

  it("finishes an empty export at once, at 100%", async () => {
    const { id } = await exportInvoices.trigger({ organizationId: "org-empty", invoiceCount: 0 });
    const run = await waitForStatus(id, "COMPLETED");
    expect(run.output).toEqual({ exportId: id, pages: 0, rows: 0, amountCents: 0, bytes: 0 });
    expect(run.metadata).toEqual({ progress: { page: 0, totalPages: 0, percent: 100 } });
  });
});
