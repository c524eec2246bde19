/**
 * JSON normalisation of values durabull stores (run outputs, metadata): what a first execution
 * returns must be exactly what a later read gives back, so both go through JSON. (Step results
 * get the same from the journal, which reads each entry back from the JSON it wrote.)
 */

/** The value as JSON would give it back (`undefined` stays `undefined`); throws on BigInt or cycles. */
export function toJsonValue(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}
