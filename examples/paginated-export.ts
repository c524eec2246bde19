/**
 * Example: a long export with live progress. The run counts an organization's invoices, then
 * exports them a page at a time — one step per page, so a crash or a retry carries on after the
 * last page written instead of starting over — and after each page sets its metadata (page n of
 * N, percent done), which `runs.retrieve` returns and Bull Board shows as the job's progress. A
 * short `wait.for` between pages spares the database; each one parks the run in Redis and frees
 * the worker for other runs until it ends.
 */
import { z } from "zod";
import { metadata, schemaTask, step, wait } from "../src/index.js";
import { fakeInvoices, type Invoice } from "./support/fake-invoices.js";

/** Pretend object storage: where a real task would upload to S3. The key is fixed per part, so a repeated upload overwrites itself. */
async function uploadPart(key: string, invoices: Invoice[]): Promise<{ key: string; bytes: number }> {
  const csv = invoices.map((invoice) => `${invoice.id},${invoice.issuedOn},${invoice.amountCents}\n`).join("");
  return { key, bytes: Buffer.byteLength(csv) };
}

/** Exports an organization's invoices page by page, reporting progress, and returns the totals. */
export const exportInvoices = schemaTask({
  id: "export-invoices",
  schema: z.object({
    organizationId: z.string().regex(/^[\w-]{1,64}$/),
    /** How many invoices the fake table holds. */
    invoiceCount: z.number().int().min(0).default(250),
    pageSize: z.number().int().min(1).max(1_000).default(50),
    /** The pause between pages. */
    pauseSeconds: z.number().min(0).default(1),
  }),
  run: async ({ organizationId, invoiceCount, pageSize, pauseSeconds }, { ctx }) => {
    const invoices = fakeInvoices(organizationId, invoiceCount);
    // Counted once and journaled: every replay walks the same pages, even if invoices are added meanwhile.
    const total = await step.run("count-invoices", () => invoices.count());
    const totalPages = Math.ceil(total / pageSize);

    // Metadata is set in the run's code, not in steps: it is rebuilt as the code replays, so a
    // reader never sees the progress go back.
    const showProgress = (page: number): void => {
      metadata.set("progress", { page, totalPages, percent: totalPages === 0 ? 100 : Math.floor((page * 100) / totalPages) });
    };
    showProgress(0);

    const totals = { pages: 0, rows: 0, amountCents: 0, bytes: 0 };
    for (let page = 1; page <= totalPages; page++) {
      const part = await step.run(`page-${page}`, async () => {
        const rows = await invoices.page(page, pageSize);
        const { bytes } = await uploadPart(`exports/${ctx.run.id}/part-${page}.csv`, rows);
        return { rows: rows.length, amountCents: rows.reduce((sum, row) => sum + row.amountCents, 0), bytes };
      });
      totals.pages += 1;
      totals.rows += part.rows;
      totals.amountCents += part.amountCents;
      totals.bytes += part.bytes;
      showProgress(page);
      if (page < totalPages) await wait.for({ seconds: pauseSeconds });
    }
    return { exportId: ctx.run.id, ...totals };
  },
});
