/**
 * Crockford base32 (digits and lowercase letters without i, l, o, u): the alphabet of durabull's
 * ids and of the hash tags in its key names, which run ids carry (keys.ts, engine/ids.ts).
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
