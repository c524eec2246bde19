/**
 * The fan-in-sections example: the parent parks on one child run per section and combines their
 * outputs in order; a section whose child fails is reported, and the report still completes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorker, runs, type DurabullWorker } from "../../src/index.js";
import { buildReport, buildReportSection } from "../../examples/fan-in-sections.js";
import { useDurabull } from "../support/durabull-test-env.js";
import { waitForStatus } from "../support/run-helpers.js";

useDurabull();

let worker: DurabullWorker;

beforeAll(async () => {
  worker = await createWorker({ tasks: [buildReport, buildReportSection] });
});

afterAll(async () => {
  await worker.close();
});

describe("example: fan-in of report sections", () => {
  it("builds every section in a child run and combines them in order", async () => {
    const { id } = await buildReport.trigger({ reportId: "q3", sections: ["summary", "revenue", "churn"] });
    const run = await waitForStatus(id, "COMPLETED");
    const output = run.output as { markdown: string; built: string[]; failed: unknown[] };
    expect(output.built).toEqual(["summary", "revenue", "churn"]);
    expect(output.failed).toEqual([]);
    expect(output.markdown).toMatch(/^# Report q3\n\n## Summary\n- activeCustomers: \d+\n- openTickets: \d+\n\n## Revenue\n[^]*\n\n## Churn\n/);
    expect(run.metadata).toEqual({ failedSections: 0 });

    const children = await runs.list({ taskIdentifier: "build-report-section", tag: "report:q3" });
    expect(children.map((child) => child.status)).toEqual(["COMPLETED", "COMPLETED", "COMPLETED"]);
  });

  it("reports a section whose child failed, and completes the report without it", async () => {
    const { id } = await buildReport.trigger({ reportId: "q4", sections: ["summary", "forecast", "signups"] });
    const run = await waitForStatus(id, "COMPLETED");
    const output = run.output as { markdown: string; built: string[]; failed: { section: string; runId: string; error: string }[] };
    expect(output.built).toEqual(["summary", "signups"]);
    expect(output.failed).toEqual([{ section: "forecast", runId: expect.stringMatching(/^run_/), error: 'The warehouse has no data for section "forecast".' }]);
    expect(output.markdown).toContain('## forecast\n_This section could not be built._\n\n## Sign-ups');
    expect(run.metadata).toEqual({ failedSections: 1 });

    const child = await runs.retrieve(output.failed[0]!.runId);
    expect(child).toMatchObject({ status: "FAILED", attemptCount: 1 });
  });
});
