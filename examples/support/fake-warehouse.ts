/**
 * A fake analytics warehouse for the fan-in-sections example: the figures behind each section of
 * a report, made up from the report id so every query of a report gives the same numbers. It
 * knows four sections — summary, revenue, churn and signups — and has no data for any other.
 */

/** What a section of a report shows. */
export interface SectionData {
  title: string;
  figures: Record<string, number>;
}

const SECTIONS: Record<string, { title: string; figures: string[] }> = {
  summary: { title: "Summary", figures: ["activeCustomers", "openTickets"] },
  revenue: { title: "Revenue", figures: ["bookedCents", "refundedCents"] },
  churn: { title: "Churn", figures: ["canceled", "downgraded"] },
  signups: { title: "Sign-ups", figures: ["trials", "conversions"] },
};

/** A stable made-up number for its parts (a report, a section, a figure). */
function madeUpNumber(...parts: string[]): number {
  let hash = 7;
  for (const char of parts.join("/")) hash = (hash * 31 + char.charCodeAt(0)) % 100_003;
  return hash;
}

/** The data of one section of report `reportId`, or undefined when the warehouse has none. */
export async function querySection(reportId: string, section: string): Promise<SectionData | undefined> {
  const known = Object.hasOwn(SECTIONS, section) ? SECTIONS[section] : undefined;
  if (!known) return undefined;
  return { title: known.title, figures: Object.fromEntries(known.figures.map((name) => [name, madeUpNumber(reportId, section, name)])) };
}
