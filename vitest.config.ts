import { defineConfig } from "vitest/config";

/**
 * Two groups: everything else first, files in parallel; then the fault suite (test/faults),
 * one file at a time, since it kills and restarts Redis servers and worker processes and
 * measures nothing but needs the machine's attention.
 */
export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: "main", include: ["test/**/*.test.ts"], exclude: ["test/faults/**"], sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: "faults", include: ["test/faults/**/*.test.ts"], fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
