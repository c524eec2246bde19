/**
 * JSON normalisation of values durabull stores (step results, run outputs): what a first
 * execution returns must be exactly what a replay reads back, so both go through JSON.
 */

/** The value as JSON would give it back (`undefined` stays `undefined`); throws on BigInt or cycles. */
export function toJsonValue(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}
