/**
 * Running an incident command's subcommands (`durabull queues pause ...`): parsing their options
 * and arguments, where a usage mistake prints the usage to stderr with exit code 2, and closing
 * the Redis connections at the end.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { disconnect } from "../engine/runtime.js";
import { wholeNumber } from "./whole-number.js";

/** A command called the wrong way: reported with the command's usage, and exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  /** Stable code of the error. */
  readonly code = "CLI_USAGE";
}

/** Whether `error` is a mistake in how the command was called (ours, or one from `parseArgs`). */
function isUsageError(error: unknown): error is Error {
  if (error instanceof UsageError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof TypeError && typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}

/** What a subcommand does with the words after its name. */
export type Subcommand = (args: string[]) => Promise<void>;

const HELP_OPTIONS = ["--help", "-h"];

/**
 * Runs the subcommand `args[0]` of a command with the rest of `args`. `--help` anywhere prints
 * `usage` (as does the subcommand `help`); a missing or unknown subcommand, or a UsageError or `parseArgs` error from it, prints
 * the message and `usage` to stderr and sets exit code 2. Other errors propagate (the `durabull`
 * command prints them and exits 1). Closes the Redis connections at the end either way.
 */
export async function runSubcommand(args: string[], usage: string, subcommands: Readonly<Record<string, Subcommand>>): Promise<void> {
  const [name, ...rest] = args;
  if (name === "help" || args.some((arg) => HELP_OPTIONS.includes(arg))) {
    console.log(usage);
    return;
  }
  try {
    if (name === undefined) throw new UsageError("Missing subcommand.");
    if (!Object.hasOwn(subcommands, name)) throw new UsageError(`Unknown subcommand "${name}".`);
    await subcommands[name]!(rest);
  } catch (error) {
    if (!isUsageError(error)) throw error;
    console.error(`${error.message}\n\n${usage}`);
    process.exitCode = 2;
  } finally {
    await disconnect();
  }
}

/** How a subcommand's words are parsed: its `options`, strictly, and positionals. */
type SubcommandConfig<T> = { args: string[]; options: T; allowPositionals: true; strict: true };

/** The options of a subcommand: `parseArgs` of `args` with positionals allowed. */
export function parseOptions<const T extends NonNullable<ParseArgsConfig["options"]>>(
  args: string[],
  options: T,
): ReturnType<typeof parseArgs<SubcommandConfig<T>>> {
  return parseArgs({ args, options, allowPositionals: true, strict: true });
}

/** The positionals of a subcommand, checked to be between `min` and `max` of them. */
export function expectPositionals(positionals: string[], min: number, max: number, what: string): string[] {
  if (positionals.length < min || positionals.length > max) throw new UsageError(`Expected ${what}; got ${positionals.length === 0 ? "nothing" : positionals.map((word) => JSON.stringify(word)).join(" ")}.`);
  return positionals;
}

/** The options every list subcommand takes: `--status` (repeatable), `--limit` and `--json`. */
export const LIST_OPTIONS = {
  status: { type: "string", multiple: true },
  limit: { type: "string" },
  json: { type: "boolean" },
} as const;

/** `--limit`: a whole number from 1 to `max`, or undefined when not given. */
export function limitOption(value: string | undefined, max: number): number | undefined {
  let limit: number | undefined;
  try {
    limit = wholeNumber(value, "--limit");
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (limit !== undefined && (limit < 1 || limit > max)) throw new UsageError(`--limit must be from 1 to ${max}; got ${limit}`);
  return limit;
}

/** `--status` (repeatable, any case): the statuses given, each one of `allowed`; undefined when none. */
export function statusOption<S extends string>(values: string[] | undefined, allowed: readonly S[]): S[] | undefined {
  if (!values || values.length === 0) return undefined;
  return values.map((value) => {
    const status = allowed.find((candidate) => candidate === value.toUpperCase());
    if (!status) throw new UsageError(`--status must be one of ${allowed.join(", ")}; got ${JSON.stringify(value)}`);
    return status;
  });
}
