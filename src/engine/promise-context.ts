/**
 * A value that follows the promises started under it: inside `run(value, fn)`, and in every
 * promise continuation that code starts — after an `await`, in a `then` callback, through
 * `Promise.all` — however late it runs, `getStore()` answers `value`. It is how a durable call
 * finds the run executing it, and how code a run left running after its attempt ended still
 * finds that ended attempt.
 *
 * AsyncLocalStorage does this too, and also carries the value into timer, event and I/O
 * callbacks. But on Node 20 and 22 it does so through async_hooks, which, once enabled, give
 * every promise of the process an async id, a trigger id and a store slot, and run Node's hook
 * machinery around every promise reaction — BullMQ's and ioredis's many promises per job
 * included. This context uses V8's promise hooks alone: a promise created while a value is set
 * carries it in one symbol property; around each promise reaction the value it carries is
 * current. Measured in the runs bench on Node 20, a worker's CPU per run fell by a fifth.
 *
 * The price is that callbacks do not carry the value: code that a timer, an event emitter or a
 * callback-style API calls runs outside it (as if outside every run), unless it is reached
 * through a promise — `await setTimeout(...)` from `node:timers/promises`, `await once(...)`,
 * `new Promise((resolve) => emitter.on(..., resolve))` all carry it.
 *
 * A reaction may run inside synchronous code, even inside another reaction (a `vm` context whose
 * microtasks run when its code returns), so each puts back the value it replaced.
 */
import { promiseHooks } from "node:v8";

/** A value carried by the promises started under `run`; a lighter AsyncLocalStorage for promise-based code. */
export class PromiseContext<T extends object> {
  private readonly key = Symbol("PromiseContext");
  private current: T | undefined;
  /** The values the promise reactions running now replaced, innermost last. */
  private readonly replaced: (T | undefined)[] = [];
  private hooked = false;

  /** The value of the code executing now; undefined outside every `run`. */
  getStore(): T | undefined {
    return this.current;
  }

  /**
   * Calls `fn` with `value` current, and makes `value` current in every promise continuation
   * started from it. The first call installs the promise hooks, so a process that never runs
   * anything under a context pays nothing.
   */
  run<R>(value: T, fn: () => R): R {
    if (!this.hooked) this.hook();
    const outer = this.current;
    this.current = value;
    try {
      return fn();
    } finally {
      this.current = outer;
    }
  }

  private hook(): void {
    this.hooked = true;
    const key = this.key;
    type Carrier = Promise<unknown> & { [key]?: T };
    promiseHooks.createHook({
      init: (promise) => {
        if (this.current !== undefined) (promise as Carrier)[key] = this.current;
      },
      before: (promise) => {
        this.replaced.push(this.current);
        this.current = (promise as Carrier)[key];
      },
      after: () => {
        this.current = this.replaced.pop();
      },
    });
  }
}
