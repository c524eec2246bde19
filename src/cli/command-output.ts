/**
 * How the incident commands print: values formatted for table cells, and lists as a table or as
 * the JSON the SDK returned.
 */
import { renderTable } from "./table.js";

/** A time as an ISO string without milliseconds, or "-" when absent. */
export function formatTime(date: Date | undefined): string {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, "Z") : "-";
}

/** A value as compact JSON, or "-" when absent (undefined). */
export function formatJson(value: unknown): string {
  return JSON.stringify(value) ?? "-";
}

/** A list, or "-" when it is empty. */
export function formatList(items: readonly string[]): string {
  return items.length > 0 ? items.join(", ") : "-";
}

/** A column of a printed list: its header and how to show an item in it. */
export interface Column<T> {
  header: string;
  cell: (item: T) => string;
}

/** Prints `items` as a table of `columns`, or with `json` as the raw JSON the SDK returned. */
export function printList<T>(items: readonly T[], columns: readonly Column<T>[], json: boolean | undefined): void {
  if (json) {
    printJson(items);
    return;
  }
  console.log(
    renderTable(
      columns.map((column) => column.header),
      items.map((item) => columns.map((column) => column.cell(item))),
    ),
  );
}

/** Prints a value as indented JSON (dates as ISO strings). */
export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}
