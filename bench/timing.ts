/**
 * Timing a stretch of the bench: wall time and this process's CPU time (user and system, from
 * `process.cpuUsage()`), which the machine's drift moves less than it moves rates.
 */

/** What a stretch took: wall time in ms, and this process's CPU time in µs. */
export interface Spent {
  elapsedMs: number;
  cpuUs: number;
}

/** Starts timing; the function it returns says what was spent since. */
export function timing(): () => Spent {
  const cpu = process.cpuUsage();
  const started = performance.now();
  return () => {
    const { user, system } = process.cpuUsage(cpu);
    return { elapsedMs: performance.now() - started, cpuUs: user + system };
  };
}
