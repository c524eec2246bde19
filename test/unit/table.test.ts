/**
 * The plain-text rendering of the incident commands (src/cli/table.ts): aligned tables, cut
 * cells, key/value lines and the formatting of times, JSON and lists. No Redis.
 */
import { describe, expect, it } from "vitest";
import { formatJson, formatList, formatTime } from "../../src/cli/command-output.js";
import { renderFields, renderTable } from "../../src/cli/table.js";

describe("renderTable", () => {
  it("aligns columns to their widest cell, two spaces apart, without trailing spaces", () => {
    const table = renderTable(
      ["NAME", "PAUSED", "QUEUED"],
      [
        ["emails", "no", "3"],
        ["reports-nightly", "yes", "12"],
      ],
    );
    expect(table.split("\n")).toEqual([
      "NAME             PAUSED  QUEUED",
      "emails           no      3",
      "reports-nightly  yes     12",
    ]);
  });

  it("is the header alone when there are no rows", () => {
    expect(renderTable(["ID", "STATUS"], [])).toBe("ID  STATUS");
  });

  it("cuts cells longer than the maximum, ending them in …", () => {
    const table = renderTable(["ID", "TAGS"], [["a", "x".repeat(30)]], 10);
    expect(table.split("\n")).toEqual(["ID  TAGS", `a   ${"x".repeat(9)}…`]);
  });

  it("keeps a cell exactly as wide as the maximum whole", () => {
    expect(renderTable(["V"], [["1234567890"]], 10)).toBe("V\n1234567890");
  });

  it("counts characters, not UTF-16 units, and cuts between them", () => {
    const table = renderTable(["A", "B"], [["😀😀😀😀", "z"]], 3);
    expect(table.split("\n")).toEqual(["A    B", "😀😀…  z"]);
  });

  it("fills missing cells, ignores extra ones and keeps every row on one line", () => {
    const table = renderTable(["A", "B"], [["one"], ["two\nlines", "tab\there", "extra"]]);
    expect(table.split("\n")).toEqual(["A          B", "one", "two lines  tab here"]);
  });
});

describe("renderFields", () => {
  it("aligns the values after the keys", () => {
    expect(renderFields([["status", "WAITING"], ["attempt", "1"], ["waiting on", "token waitpoint_x"]]).split("\n")).toEqual([
      "status:     WAITING",
      "attempt:    1",
      "waiting on: token waitpoint_x",
    ]);
  });

  it("does not cut long values", () => {
    const output = JSON.stringify({ text: "y".repeat(200) });
    expect(renderFields([["output", output]])).toBe(`output: ${output}`);
  });

  it("is empty for no fields", () => {
    expect(renderFields([])).toBe("");
  });
});

describe("formatting", () => {
  it("shows times as ISO strings without milliseconds, absent ones as -", () => {
    expect(formatTime(new Date("2025-03-04T05:06:07.890Z"))).toBe("2025-03-04T05:06:07Z");
    expect(formatTime(undefined)).toBe("-");
  });

  it("shows values as compact JSON, absent ones as -", () => {
    expect(formatJson({ approved: true })).toBe('{"approved":true}');
    expect(formatJson(null)).toBe("null");
    expect(formatJson(undefined)).toBe("-");
  });

  it("joins lists with commas, empty ones as -", () => {
    expect(formatList(["a", "b"])).toBe("a, b");
    expect(formatList([])).toBe("-");
  });
});
