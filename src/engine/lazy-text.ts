/**
 * Text for an error message that may cost something to build (say, a name made from a call's
 * arguments): a string, or a function that builds it only when the error is thrown.
 */

/** A string, or a function making it on demand. */
export type LazyText = string | (() => string);

/** The text, built now if it was deferred. */
export function textOf(text: LazyText): string {
  return typeof text === "string" ? text : text();
}
