/**
 * JSON normalisation of values durabull stores (run outputs, metadata): what a first execution
 * returns must be exactly what a later read gives back, so both go through JSON. (Step results
 * get the same from the journal, which reads each entry back from the JSON it wrote.)
 */

/**
 * Whether JSON gives `value` back unchanged: nothing (`undefined`), `null`, a boolean, a string or
 * a finite number other than -0 — the usual results of a run or a step, which need no round trip.
 */
export function isJsonExact(value: unknown): boolean {
  switch (typeof value) {
    case "undefined":
    case "boolean":
    case "string":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    default:
      return value === null;
  }
}

/** The value as JSON would give it back (`undefined` stays `undefined`); throws on BigInt or cycles. */
export function toJsonValue(value: unknown): unknown {
  if (isJsonExact(value)) return value;
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}
