/**
 * CPU time (user + system) of another process, from Linux's /proc/<pid>/stat, for figures that
 * count what a request costs the processes serving it rather than how fast it went.
 */
import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc's times: USER_HZ, 100 on every Linux architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** CPU time process `pid` has used so far, in µs (a resolution of 10 ms). */
export function processCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / TICKS_PER_SECOND;
}
