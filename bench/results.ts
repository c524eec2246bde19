/**
 * The bench's figures: printed as a table and merged, by name, into bench/results.json
 * (figures from sections that did not run this time are kept).
 */
import { readFile, writeFile } from "node:fs/promises";

/** Named figures of one bench run. */
export type Figures = Record<string, number>;

const RESULTS = new URL("./results.json", import.meta.url);

/** Rounds a figure for printing and storing: whole numbers above 100, else three significant digits. */
export function round(value: number): number {
  return Math.abs(value) >= 100 ? Math.round(value) : Number(value.toPrecision(3));
}

/** Prints the figures, one per line. */
export function printFigures(figures: Figures): void {
  const width = Math.max(...Object.keys(figures).map((name) => name.length));
  for (const [name, value] of Object.entries(figures)) console.log(`  ${name.padEnd(width)}  ${round(value)}`);
}

/** Merges the figures into bench/results.json. */
export async function writeFigures(figures: Figures): Promise<void> {
  const previous = JSON.parse(await readFile(RESULTS, "utf8").catch(() => "{}")) as Figures;
  const merged = { ...previous, ...Object.fromEntries(Object.entries(figures).map(([name, value]) => [name, round(value)])) };
  await writeFile(RESULTS, `${JSON.stringify(merged, null, 2)}\n`);
}

/** The median of some numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The medians of paired rounds: each side's, and that of the rounds' ratios (ours / baseline). */
export interface PairedFigures {
  baseline: number;
  ours: number;
  ratio: number;
}

/**
 * Runs `rounds` rounds, each measuring the baseline and then ours back to back (each a rate:
 * higher is better). The ratio is the median of the per-round ratios, so drift in the machine's
 * speed between rounds cancels out.
 */
export async function pairedRounds(rounds: number, baseline: (round: number) => Promise<number>, ours: (round: number) => Promise<number>): Promise<PairedFigures> {
  const baselines: number[] = [];
  const oursFigures: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    baselines.push(await baseline(round));
    oursFigures.push(await ours(round));
  }
  return { baseline: median(baselines), ours: median(oursFigures), ratio: median(oursFigures.map((figure, round) => figure / baselines[round]!)) };
}
