/**
 * Crockford base32 (digits and lowercase letters without i, l, o, u): the alphabet of durabull's
 * ids and of the hash tags in its key names, which run ids carry (keys.ts, engine/ids.ts), and
 * the shape of an id.
 */

/** The 32 characters, in order of value. */
export const BASE32_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** `value` (a whole number below 32^length) as `length` characters, most significant first. */
export function toBase32(value: number, length: number): string {
  let text = "";
  let rest = value;
  for (let i = 0; i < length; i += 1) {
    text = BASE32_ALPHABET[rest % 32]! + text;
    rest = Math.floor(rest / 32);
  }
  return text;
}

/** Characters of an id after its kind prefix: time (10), sequence (4), randomness (2 × 6); engine/ids.ts. */
export const ID_LENGTH = 26;

/** What an id of kind `kind` (its prefix: "run", "waitpoint"...) looks like: the prefix, `_`, then `ID_LENGTH` base32 characters. */
export function idPattern(kind: string): RegExp {
  return new RegExp(`^${kind}_[${BASE32_ALPHABET}]{${ID_LENGTH}}$`);
}
