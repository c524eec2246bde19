/**
 * `durabull tokens list|complete|timeout`: waitpoint tokens in an incident — which tokens runs
 * wait on, completing one by hand with a JSON output, forcing one's timeout — through the `wait`
 * SDK (and the timeout the HTTP API forces), from anywhere with a Redis connection.
 */
import { timeoutToken, type TokenDetails } from "../engine/tokens.js";
import { TOKEN_STATUSES, type TokenStatus } from "../engine/waitpoint-store.js";
import { runtime } from "../engine/runtime.js";
import { wait } from "../sdk/wait.js";
import { formatList, formatTime, printList, type Column } from "./command-output.js";
import { expectPositionals, limitOption, LIST_OPTIONS, parseOptions, runSubcommand, statusOption, UsageError } from "./subcommand.js";

/** Usage text of the command. */
export const TOKENS_USAGE = `Usage: durabull tokens <subcommand> [options]

Subcommands:
  list [options]         tokens, newest first, with the runs that parked on them
    --status <status>    WAITING, COMPLETED or TIMED_OUT (repeatable)
    --tag <tag>          tokens carrying this tag (repeatable: every tag given)
    --limit <n>          at most this many (default 50, at most 1000)
    --json               print the SDK's JSON instead of a table
  complete <id> [json]   complete a token with this JSON output (default {}), waking the runs
                         waiting on it; a token completes once
  timeout <id>           time a waiting token out now; the runs waiting on it resume with ok: false

Options:
  -h, --help             print this text

Redis, the key prefix and the secret key come from DURABULL_REDIS_URL, DURABULL_PREFIX and
DURABULL_SECRET_KEY.`;

/** The most tokens one list reads. */
const MAX_LIMIT = 1_000;

const COLUMNS: Column<TokenDetails>[] = [
  { header: "ID", cell: (token) => token.id },
  { header: "STATUS", cell: (token) => token.status },
  { header: "TAGS", cell: (token) => formatList(token.tags) },
  { header: "CREATED", cell: (token) => formatTime(token.createdAt) },
  { header: "TIMEOUT", cell: (token) => formatTime(token.timeoutAt) },
  { header: "RUNS", cell: (token) => formatList(token.runs) },
];

async function list(args: string[]): Promise<void> {
  const { values, positionals } = parseOptions(args, { ...LIST_OPTIONS, tag: { type: "string", multiple: true } });
  expectPositionals(positionals, 0, 0, "no arguments");
  const status = statusOption(values.status, TOKEN_STATUSES);
  const limit = limitOption(values.limit, MAX_LIMIT) ?? 50;
  // The SDK filters by one tag; further tags are filtered here, from as many tokens as a list reads.
  const [tag, ...moreTags] = values.tag ?? [];
  const found = await wait.listTokens({
    ...(status ? { status } : {}),
    ...(tag !== undefined ? { tags: tag } : {}),
    limit: moreTags.length > 0 ? MAX_LIMIT : limit,
  });
  const tokens = found.filter((token) => moreTags.every((more) => token.tags.includes(more))).slice(0, limit);
  printList(tokens, COLUMNS, values.json);
}

/** The JSON `text` parsed; a UsageError when it is not JSON. */
function parseOutput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`The output must be JSON, e.g. '{"approved":true}'; got ${JSON.stringify(text)} (${(error as Error).message}).`);
  }
}

/** What a settling call reports: what it did, or that the token had settled before. */
function settled(id: string, changed: boolean, status: TokenStatus, done: string): void {
  console.log(changed ? `${done} token ${id}` : `token ${id} was already settled (${status}); nothing changed`);
}

async function complete(args: string[]): Promise<void> {
  const { positionals } = parseOptions(args, {});
  const [id, output] = expectPositionals(positionals, 1, 2, "a token id and, optionally, its JSON output");
  const result = await wait.completeToken(id!, output === undefined ? {} : parseOutput(output));
  settled(result.id, result.completed, result.status, "completed");
}

async function timeout(args: string[]): Promise<void> {
  const { positionals } = parseOptions(args, {});
  const [id] = expectPositionals(positionals, 1, 1, "a token id");
  const result = await timeoutToken(runtime(), id!);
  settled(result.id, result.timedOut, result.status, "timed out");
}

/**
 * Runs the tokens command with `args` (after the word "tokens"). An unknown token id throws
 * WaitpointNotFoundError (the `durabull` command prints it and exits 1).
 */
export async function tokensCommand(args: string[]): Promise<void> {
  return runSubcommand(args, TOKENS_USAGE, { list, complete, timeout });
}
