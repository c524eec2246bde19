import { describe, expect, it } from "vitest";
import { createId } from "../../src/engine/ids.js";
import { decodeEntry, encodeEntry, Journal, streamOnceTakenPrefix, tokenCreateName, type JournalEntry } from "../../src/engine/journal.js";
import { NonDeterminismError } from "../../src/errors/non-determinism-error.js";

describe("journal entries", () => {
  const tokenId = createId("waitpoint", 1_795_293_952_556);

  it("round-trip through their encoding", () => {
    const entries: JournalEntry[] = [
      { kind: "step", name: "charge", startedAt: 1, endedAt: 2, output: { id: "ch_1", amount: 3 } },
      { kind: "step", name: "noop", startedAt: 3, endedAt: 3 },
      { kind: "step", name: "null", startedAt: 3, endedAt: 4, output: null },
      { kind: "wait", name: "for", startedAt: 5, until: 1_005 },
      { kind: "token.create", name: "", startedAt: 1_795_293_952_556, tokenId, timeoutAt: 1_795_297_552_556 },
      { kind: "token.wait", name: tokenId, startedAt: 1_795_293_952_600 },
      { kind: "stream.wait", name: "approval", startedAt: 1_795_293_952_556, tokenId, timeoutAt: 1_795_297_552_556 },
      { kind: "stream.once", name: "messages", startedAt: 6, outcome: { ok: true, value: { text: "hi" } } },
      { kind: "stream.once", name: "messages", startedAt: 6, outcome: { ok: true, value: null } },
      { kind: "stream.once", name: "messages", startedAt: 7, outcome: { ok: false, reason: "timeout" } },
      { kind: "stream.once", name: "messages", startedAt: 8, outcome: { ok: false, reason: "aborted" } },
      { kind: "stream.once", name: "messages", startedAt: 8, outcome: { ok: false, reason: "aborted", cause: "user left" } },
      { kind: "stream.once", name: "messages", startedAt: 8, outcome: { ok: false, reason: "aborted", cause: { name: "AbortError", message: "stop" } } },
      { kind: "stream.on", name: "cancel", startedAt: 9 },
    ];
    for (const entry of entries) expect(decodeEntry(encodeEntry(entry))).toEqual(entry);
  });

  it("give a step's output back as JSON does: nothing for a function, strings for dates, no undefined fields; a BigInt throws", () => {
    const step = (output: unknown) => decodeEntry(encodeEntry({ kind: "step", name: "s", startedAt: 1, endedAt: 2, output }));
    expect(step(() => 1)).toEqual({ kind: "step", name: "s", startedAt: 1, endedAt: 2 });
    expect(step({ at: new Date(0), gone: undefined, list: [undefined, 1] })).toMatchObject({ output: { at: "1970-01-01T00:00:00.000Z", list: [null, 1] } });
    expect(step({ at: new Date(0), gone: undefined })).not.toHaveProperty("output.gone");
    expect(() => step({ amount: 1n })).toThrow(/BigInt/);
  });

  it("encode a value a .once() took as the script builds it: the prefix, the value's JSON, a bracket", () => {
    const entry: JournalEntry = { kind: "stream.once", name: "messages", startedAt: 6, outcome: { ok: true, value: [1, "two"] } };
    expect(encodeEntry(entry)).toBe(`${streamOnceTakenPrefix("messages", 6)}[1,"two"]]`);
  });

  it("stay within Redis' 64 bytes for compact hashes when they hold no user data", () => {
    const entries: JournalEntry[] = [
      { kind: "wait", name: "until", startedAt: 1_795_293_952_556, until: 1_795_297_552_556 },
      { kind: "token.create", name: "", startedAt: 1_795_293_952_556, tokenId, timeoutAt: 1_795_297_552_556 },
      { kind: "token.wait", name: tokenId, startedAt: 1_795_293_952_600 },
      { kind: "stream.wait", name: "approval", startedAt: 1_795_293_952_556, tokenId, timeoutAt: 1_795_297_552_556 },
    ];
    for (const entry of entries) expect(encodeEntry(entry).length).toBeLessThanOrEqual(64);
  });

  it("keep a token's idempotency key if short, else a digest of it, within the 64 bytes", () => {
    expect(["", "order-1", "twelve-chars"].map((key) => tokenCreateName(key || undefined))).toEqual(["", "order-1", "twelve-chars"]);
    const long = ["run_01m814atnz0001dg5x2bq0a1en", "refund-approval:o-1234", "thirteen-char", "éééééééé", 'quo"ted-key!'];
    const names = long.map(tokenCreateName);
    expect(new Set(names).size).toBe(long.length);
    expect(tokenCreateName(long[0])).toBe(tokenCreateName(long[0]));
    for (const name of [...names, "twelve-chars"]) {
      expect(name).toMatch(/^(#[A-Za-z0-9_-]{11}|twelve-chars)$/);
      const encoded = encodeEntry({ kind: "token.create", name, startedAt: 1_795_293_952_556, tokenId, timeoutAt: 1_795_297_552_556 });
      expect(Buffer.byteLength(encoded)).toBeLessThanOrEqual(64);
    }
  });
});

describe("Journal", () => {
  const writes: [number, string][] = [];
  const journal = () =>
    new Journal(new Map([[0, { kind: "step", name: "a", startedAt: 0, endedAt: 0, output: 1 }]]), async (index, encoded) => {
      writes.push([index, encoded]);
      return encoded;
    });

  it("replays a journaled call and hands out the next positions in order", () => {
    const j = journal();
    expect(j.claim({ kind: "step", name: "a" })).toMatchObject({ index: 0, entry: { output: 1 } });
    expect(j.claim({ kind: "step", name: "b" })).toEqual({ index: 1, entry: undefined });
    expect(j.claim({ kind: "wait", name: "for" })).toEqual({ index: 2, entry: undefined });
  });

  it("names both calls when the code disagrees with the journal", () => {
    const j = journal();
    let error: unknown;
    try {
      j.claim({ kind: "step", name: "b" });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(NonDeterminismError);
    expect((error as NonDeterminismError).code).toBe("NON_DETERMINISM");
    expect((error as NonDeterminismError).mismatch).toEqual({ index: 0, journaled: 'step.run("a")', called: 'step.run("b")' });
    expect(() => journal().claim({ kind: "wait", name: "for" })).toThrow(/#0 is wait\.for\(\), but the run's journal recorded step\.run\("a"\)/);
  });

  it("returns what the store holds when another writer got there first", async () => {
    const winner = encodeEntry({ kind: "step", name: "b", startedAt: 1, endedAt: 1, output: "theirs" });
    const j = new Journal(new Map(), async () => winner);
    j.claim({ kind: "step", name: "b" });
    expect(await j.record(0, { kind: "step", name: "b", startedAt: 2, endedAt: 2, output: "mine" })).toMatchObject({ output: "theirs" });
  });

  it("returns a step's output as a replay reads it, whether or not it went through JSON", async () => {
    const j = new Journal(new Map(), async (_, encoded) => encoded);
    const outputs: [unknown, unknown][] = [
      ["text \u{1F600} \ud800", "text \u{1F600} \ud800"],
      [42.5, 42.5],
      [-0, 0],
      [Number.NaN, null],
      [Number.POSITIVE_INFINITY, null],
      [true, true],
      [null, null],
      [undefined, undefined],
      [new Date(0), "1970-01-01T00:00:00.000Z"],
      [{ a: 1, gone: undefined }, { a: 1 }],
    ];
    for (const [index, [output, replayed]] of outputs.entries()) {
      const stored = await j.record(index, { kind: "step", name: "s", startedAt: 1, endedAt: 2, output });
      expect(Object.is(stored.output, replayed) || (typeof replayed === "object" && replayed !== null), `output ${String(output)}`).toBe(true);
      expect(stored.output).toEqual(replayed);
      expect(stored.output).toEqual((decodeEntry(encodeEntry({ kind: "step", name: "s", startedAt: 1, endedAt: 2, output })) as { output?: unknown }).output);
    }
  });
});
