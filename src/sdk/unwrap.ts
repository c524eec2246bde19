/**
 * Results that are either `{ ok: true, output }` or `{ ok: false, error }` — of a token wait, a
 * child run — with `unwrap()` on the result and on its promise: the output, or the error thrown.
 */

/** Either shape of a result. */
export type Outcome = { ok: true; output: unknown } | { ok: false; error: Error };

/** The output type of an outcome. */
export type OutputOf<R> = R extends { ok: true; output: infer T } ? T : never;

/** An outcome with `unwrap()`: the output, or the error thrown when `ok` is false. */
export type Unwrapped<R extends Outcome> = R & { unwrap(): OutputOf<R> };

/** A promise of an unwrapped outcome, with `unwrap()` itself: the output, or a rejection with the error. */
export type UnwrappedPromise<R extends Outcome> = Promise<Unwrapped<R>> & { unwrap(): Promise<OutputOf<R>> };

/** Adds `unwrap()` to an outcome. */
export function unwrappable<R extends Outcome>(result: R): Unwrapped<R> {
  return Object.assign(result, {
    unwrap: (): OutputOf<R> => {
      if (result.ok) return result.output as OutputOf<R>;
      throw result.error;
    },
  });
}

/** Adds `unwrap()` to a promise of an unwrapped outcome. */
export function unwrappablePromise<R extends Outcome>(pending: Promise<Unwrapped<R>>): UnwrappedPromise<R> {
  return Object.assign(pending, { unwrap: () => pending.then((result) => result.unwrap()) });
}
