/**
 * Plain-text tables for the incident commands (`durabull queues`, `tokens`, `runs`): rows as an
 * aligned table, details as key/value lines. Pure functions.
 */

/** How many characters a table cell shows at most; a longer one is cut and ends in "…". */
export const MAX_CELL_WIDTH = 60;

/** `text` with line breaks and tabs turned into spaces, so that it stays on one line. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, " ");
}

/** `text` cut to `width` characters (counted as code points), its last one "…" when cut. */
function fit(text: string, width: number): string {
  const chars = [...oneLine(text)];
  return chars.length <= width ? chars.join("") : `${chars.slice(0, Math.max(0, width - 1)).join("")}…`;
}

/** `text` padded with spaces to `width` characters (counted as code points). */
function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - [...text].length));
}

/**
 * Renders a header and rows as a plain-text table: columns two spaces apart, each as wide as
 * its widest cell, cells cut at `maxCellWidth` characters. Missing cells are empty; trailing
 * spaces are trimmed. With no rows it is the header line alone.
 *
 * @example
 * renderTable(["NAME", "PAUSED"], [["emails", "yes"]]);
 * // "NAME    PAUSED\nemails  yes"
 */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], maxCellWidth = MAX_CELL_WIDTH): string {
  const lines = [header, ...rows].map((row) => header.map((_, column) => fit(row[column] ?? "", maxCellWidth)));
  const widths = header.map((_, column) => Math.max(...lines.map((line) => [...line[column]!].length)));
  return lines.map((line) => line.map((cell, column) => pad(cell, widths[column]!)).join("  ").trimEnd()).join("\n");
}

/**
 * Renders details as `key: value` lines, the values aligned. Values are not cut (they may be
 * JSON an operator wants whole), but line breaks in them become spaces.
 *
 * @example
 * renderFields([["status", "WAITING"], ["attempt", "1"]]);
 * // "status:  WAITING\nattempt: 1"
 */
export function renderFields(fields: readonly (readonly [key: string, value: string])[]): string {
  const width = Math.max(0, ...fields.map(([key]) => [...key].length + 1));
  return fields.map(([key, value]) => `${pad(`${key}:`, width)} ${oneLine(value)}`.trimEnd()).join("\n");
}
