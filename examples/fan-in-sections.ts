/**
 * Example: fan out, then fan in. A report is made of sections, each built by a child run of its
 * own, in parallel on whatever workers are free. The parent triggers them all with one
 * `batchTriggerAndWait` and parks once — no worker held — until the last child has ended, then
 * combines their outputs in order. A batch that has ended has not necessarily succeeded: each
 * child's result has its own `ok`, and a section that failed is reported in the report rather
 * than failing it.
 */
import { z } from "zod";
import { AbortTaskRunError, RunFailedError, metadata, schemaTask } from "../src/index.js";
import { querySection } from "./support/fake-warehouse.js";

const reportIdSchema = z.string().regex(/^[\w-]{1,64}$/);

/** Builds one section of a report from the warehouse's figures; a child of `buildReport`. */
export const buildReportSection = schemaTask({
  id: "build-report-section",
  schema: z.object({ reportId: reportIdSchema, section: z.string().min(1).max(64) }),
  run: async ({ reportId, section }) => {
    const data = await querySection(reportId, section);
    // A retry cannot make up missing data, so fail at once rather than retry.
    if (!data) throw new AbortTaskRunError(`The warehouse has no data for section "${section}".`);
    const figures = Object.entries(data.figures).map(([name, value]) => `- ${name}: ${value}`);
    return { section, title: data.title, markdown: [`## ${data.title}`, ...figures].join("\n") };
  },
});

/** Builds a report from one child run per section; sections that fail are listed, not fatal. */
export const buildReport = schemaTask({
  id: "build-report",
  schema: z.object({ reportId: reportIdSchema, sections: z.array(z.string().min(1).max(64)).min(1).max(50) }),
  run: async ({ reportId, sections }) => {
    // The trigger is journaled: a replay or a retry of this run waits on the same children
    // (or reads their results) instead of starting new ones.
    const { runs } = await buildReportSection.batchTriggerAndWait(
      sections.map((section) => ({ payload: { reportId, section }, options: { tags: [`report:${reportId}`] } })),
    );

    const failed = runs.flatMap((run, index) =>
      // A failed child's RunFailedError carries the child's own error.
      run.ok ? [] : [{ section: sections[index]!, runId: run.id, error: run.error instanceof RunFailedError ? run.error.runError.message : run.error.message }],
    );
    metadata.set("failedSections", failed.length);

    const parts = runs.map((run, index) => (run.ok ? run.output.markdown : `## ${sections[index]}\n_This section could not be built._`));
    return {
      reportId,
      markdown: [`# Report ${reportId}`, ...parts].join("\n\n"),
      built: runs.flatMap((run) => (run.ok ? [run.output.section] : [])),
      failed,
    };
  },
});
