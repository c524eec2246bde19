import { describe, expect, it } from "vitest";
import { loadTasks } from "../../worker/load-tasks.js";
import { TASK_DEFINITION } from "../../src/engine/task-definition.js";
import { ConfigurationError } from "../../src/index.js";

describe("loadTasks", () => {
  it("loads every task exported by the modules of a directory, recursively, skipping tests", async () => {
    const tasks = await loadTasks(["test/fixtures", "examples/welcome-email.ts"]);
    expect(tasks.map((task) => task[TASK_DEFINITION].id).sort()).toEqual([
      "crash-three-steps",
      "export-invoices",
      "limited-run",
      "send-ready-email",
      "slow-then-wait",
      "welcome-sequence",
      "write-page",
    ]);
  });

  it("says which path is missing, and when a path holds no tasks", async () => {
    await expect(loadTasks(["no/such/dir"])).rejects.toThrow(/"no\/such\/dir" does not exist/);
    await expect(loadTasks(["test/support/run-helpers.ts"])).rejects.toBeInstanceOf(ConfigurationError);
  });
});
