import { describe, expect, it } from "vitest";
import { bucketName, bucketOfCount, decodeTokenState, tokenBucket, tokenField, tokenIdOf, tokenIdParts, tokenSlot } from "../../src/engine/token-buckets.js";
import { isId, timeOfId } from "../../src/engine/ids.js";

/** A token id as create-token-1.lua assembles it: head, bucket, slot, tail. */
function assembled(now: number, bucket: number, slot: string): string {
  const { head, tail } = tokenIdParts(now);
  return `${head}${bucketName(bucket)}${slot}${tail}`;
}

describe("token buckets", () => {
  it("reads bucket, slot and field back out of an id, and the id out of bucket and field", () => {
    const id = assembled(1_795_293_952_556, 33, "7");
    expect(isId("waitpoint", id)).toBe(true);
    expect(timeOfId(id)).toBe(1_795_293_952_556);
    expect(tokenBucket(id)).toBe("0000011");
    expect(tokenSlot(id)).toBe("7");
    expect(tokenField(id)).toHaveLength(19);
    expect(tokenIdOf(tokenBucket(id), tokenField(id))).toBe(id);
  });

  it("sorts ids made in one millisecond by their number", () => {
    const ids = [assembled(1_700_000_000_000, 0, "v"), assembled(1_700_000_000_000, 1, "0"), assembled(1_700_000_000_000, 1, "1")];
    expect([...ids].reverse().sort()).toEqual(ids);
  });

  it("puts 32 tokens in a bucket", () => {
    expect([0, 31, 32, 63, 64].map(bucketOfCount)).toEqual([0, 0, 1, 1, 2]);
    expect(bucketName(0)).toBe("0000000");
    expect(bucketName(2 ** 35 - 1)).toBe("zzzzzzz");
  });

  it("decodes stored states and refuses anything else", () => {
    expect(decodeTokenState("W1795334014593")).toEqual({ status: "WAITING", timeoutAt: 1_795_334_014_593 });
    expect(decodeTokenState("C1795334014593 1795330414601")).toEqual({ status: "COMPLETED", timeoutAt: 1_795_334_014_593, settledAt: 1_795_330_414_601 });
    expect(decodeTokenState("T5 6")).toEqual({ status: "TIMED_OUT", timeoutAt: 5, settledAt: 6 });
    for (const stored of ["", "X1", "W", "W1 ", "WAITING"]) expect(decodeTokenState(stored)).toBeUndefined();
  });
});
