/**
 * Reading whole numbers from command-line options and the environment, with a message naming
 * the option when the value is not one.
 */

/** `value` as a whole number ≥ 0; undefined when absent; throws naming `name` when it is not one. */
export function wholeNumber(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a whole number; got ${JSON.stringify(value)}`);
  return parsed;
}
