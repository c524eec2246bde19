import { once, EventEmitter } from "node:events";
import { setImmediate as immediate, setTimeout as sleep } from "node:timers/promises";
import { createContext, runInContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { PromiseContext } from "../../src/engine/promise-context.js";

interface Value {
  name: string;
}

const a: Value = { name: "a" };
const b: Value = { name: "b" };

describe("PromiseContext", () => {
  it("has no value outside run, and the value inside it, restored after a return or a throw", () => {
    const context = new PromiseContext<Value>();
    expect(context.getStore()).toBeUndefined();
    expect(context.run(a, () => context.getStore())).toBe(a);
    expect(() =>
      context.run(a, () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(context.getStore()).toBeUndefined();
    expect(context.run(a, () => [context.run(b, () => context.getStore()), context.getStore()])).toEqual([b, a]);
  });

  it("follows await, then, catch, finally, Promise.all and async generators", async () => {
    const context = new PromiseContext<Value>();
    const seen = await context.run(a, async () => {
      const found: (Value | undefined)[] = [];
      await sleep(1);
      found.push(context.getStore());
      await Promise.resolve().then(() => found.push(context.getStore()));
      await Promise.reject(new Error("no")).catch(() => found.push(context.getStore()));
      await Promise.resolve().finally(() => found.push(context.getStore()));
      const all = await Promise.all([immediate().then(() => context.getStore()), (async () => (await sleep(2), context.getStore()))()]);
      found.push(...all);
      async function* values() {
        await sleep(1);
        yield context.getStore();
      }
      for await (const value of values()) found.push(value);
      return found;
    });
    expect(seen).toEqual([a, a, a, a, a, a, a]);
    expect(context.getStore()).toBeUndefined();
  });

  it("keeps interleaved runs apart", async () => {
    const context = new PromiseContext<Value>();
    const trace = (value: Value) =>
      context.run(value, async () => {
        const found: string[] = [];
        for (let i = 0; i < 20; i += 1) {
          await (i % 2 === 0 ? immediate() : Promise.resolve());
          found.push(context.getStore()!.name);
        }
        return found;
      });
    const [fromA, fromB] = await Promise.all([trace(a), trace(b)]);
    expect(new Set(fromA)).toEqual(new Set(["a"]));
    expect(new Set(fromB)).toEqual(new Set(["b"]));
  });

  it("gives an await the value of the code awaiting, whoever made the promise awaited", async () => {
    const context = new PromiseContext<Value>();
    let release!: () => void;
    const madeInA = context.run(a, () => new Promise<void>((resolve) => (release = resolve)));
    const awaitedInB = context.run(b, async () => {
      await madeInA;
      return context.getStore();
    });
    const awaitedOutside = (async () => {
      await madeInA;
      return context.getStore();
    })();
    setTimeout(release, 5);
    expect(await awaitedInB).toBe(b);
    expect(await awaitedOutside).toBeUndefined();
  });

  it("follows a promise resolved from a callback, and a custom thenable", async () => {
    const context = new PromiseContext<Value>();
    const emitter = new EventEmitter();
    const thenable = { then: (resolve: (value: number) => void) => setTimeout(() => resolve(1), 2) };
    const seen = context.run(a, async () => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      const first = context.getStore();
      setTimeout(() => emitter.emit("go"), 2);
      await once(emitter, "go");
      const second = context.getStore();
      await thenable;
      return [first, second, context.getStore()];
    });
    expect(await seen).toEqual([a, a, a]);
  });

  it("does not carry the value into a callback a timer or an emitter calls", async () => {
    const context = new PromiseContext<Value>();
    const emitter = new EventEmitter();
    const inCallbacks = await context.run(a, () => {
      const fromTimer = new Promise<Value | undefined>((resolve) => setTimeout(() => resolve(context.getStore()), 2));
      const fromEmitter = new Promise<Value | undefined>((resolve) => emitter.once("go", () => resolve(context.getStore())));
      setImmediate(() => emitter.emit("go"));
      return Promise.all([fromTimer, fromEmitter]);
    });
    expect(inCallbacks).toEqual([undefined, undefined]);
  });

  it("keeps the value of code that drains promise reactions synchronously (a vm context's own queue)", () => {
    const context = new PromiseContext<Value>();
    const sandbox = createContext({}, { microtaskMode: "afterEvaluate" });
    const seen = context.run(a, () => {
      runInContext("Promise.resolve().then(() => undefined)", sandbox);
      return context.getStore();
    });
    expect(seen).toBe(a);
  });

  it("puts back the value of a reaction that drained others inside it", async () => {
    const context = new PromiseContext<Value>();
    const sandbox = createContext({}, { microtaskMode: "afterEvaluate" });
    const seen = await context.run(a, async () => {
      await Promise.resolve();
      context.run(b, () => runInContext("Promise.resolve().then(() => undefined)", sandbox));
      const inner = context.getStore();
      await Promise.resolve();
      return inner;
    });
    const inNextCallback = await new Promise((resolve) => setImmediate(() => resolve(context.getStore())));
    expect([seen, inNextCallback]).toEqual([a, undefined]);
  });

  it("lets code started under a value find it after the run it belonged to has returned", async () => {
    const context = new PromiseContext<Value>();
    let later!: Promise<Value | undefined>;
    context.run(a, () => {
      later = (async () => {
        await sleep(5);
        return context.getStore();
      })();
    });
    const meanwhile = await context.run(b, async () => {
      await sleep(1);
      return context.getStore();
    });
    expect(meanwhile).toBe(b);
    expect(await later).toBe(a);
  });
});
