/**
 * `durabull runs list|get|cancel`: runs in an incident — what is going on, one run's details and
 * what it waits on, canceling one — through the `runs` SDK, from anywhere with a Redis connection.
 */
import type { RunDetails, RunWaitingOn } from "../engine/run-reader.js";
import { describeWait } from "../engine/parked-progress.js";
import { RUN_STATUSES } from "../engine/run-status.js";
import { runs } from "../sdk/runs.js";
import { formatJson, formatList, formatTime, printJson, printList, type Column } from "./command-output.js";
import { expectPositionals, limitOption, LIST_OPTIONS, parseOptions, runSubcommand, statusOption } from "./subcommand.js";
import { renderFields } from "./table.js";

/** Usage text of the command. */
export const RUNS_USAGE = `Usage: durabull runs <subcommand> [options]

Subcommands:
  list [options]        recent runs, newest first (the newest of each queue, not all history)
    --status <status>   ${RUN_STATUSES.join(", ")} (repeatable)
    --task <id>         runs of this task (repeatable)
    --queue <name>      runs on this queue
    --tag <tag>         runs carrying this tag
    --limit <n>         at most this many (default 20, at most 100)
    --json              print the SDK's JSON instead of a table
  get <id> [--json]     a run's status, task, queue, attempts, times, what it waits on, output
                        or error
  cancel <id>           cancel a run: a queued, delayed or parked one at once, an executing one
                        is asked to stop; its children still going are canceled too

Options:
  -h, --help            print this text

Redis and the key prefix come from DURABULL_REDIS_URL and DURABULL_PREFIX.`;

const COLUMNS: Column<RunDetails>[] = [
  { header: "ID", cell: (run) => run.id },
  { header: "STATUS", cell: (run) => run.status },
  { header: "TASK", cell: (run) => run.taskIdentifier },
  { header: "QUEUE", cell: (run) => run.queue },
  { header: "ATTEMPT", cell: (run) => String(run.attemptCount) },
  { header: "TAGS", cell: (run) => formatList(run.tags) },
  { header: "CREATED", cell: (run) => formatTime(run.createdAt) },
  { header: "FINISHED", cell: (run) => formatTime(run.finishedAt) },
];

async function list(args: string[]): Promise<void> {
  const { values, positionals } = parseOptions(args, {
    ...LIST_OPTIONS,
    task: { type: "string", multiple: true },
    queue: { type: "string" },
    tag: { type: "string" },
  });
  expectPositionals(positionals, 0, 0, "no arguments");
  const status = statusOption(values.status, RUN_STATUSES);
  const limit = limitOption(values.limit, 100);
  const found = await runs.list({
    ...(status ? { status } : {}),
    ...(values.task ? { taskIdentifier: values.task } : {}),
    ...(values.queue !== undefined ? { queue: values.queue } : {}),
    ...(values.tag !== undefined ? { tag: values.tag } : {}),
    ...(limit !== undefined ? { limit } : {}),
  });
  printList(found, COLUMNS, values.json);
}

/** One wait of a parked run, in the words Bull Board shows, and until when. */
function describeWaitUntil(wait: RunWaitingOn): string {
  return `${describeWait(wait)} until ${formatTime(wait.until)}`;
}

async function get(args: string[]): Promise<void> {
  const { values, positionals } = parseOptions(args, { json: { type: "boolean" } });
  const [id] = expectPositionals(positionals, 1, 1, "a run id");
  const run = await runs.retrieve(id!);
  if (values.json) {
    printJson(run);
    return;
  }
  console.log(
    renderFields([
      ["id", run.id],
      ["status", run.status],
      ["task", run.taskIdentifier],
      ["queue", run.queue],
      ["attempt", String(run.attemptCount)],
      ["tags", formatList(run.tags)],
      ["created", formatTime(run.createdAt)],
      ["started", formatTime(run.startedAt)],
      ["finished", formatTime(run.finishedAt)],
      ["waiting on", formatList((run.waitingOn ?? []).map(describeWaitUntil))],
      ["payload", formatJson(run.payload)],
      ["output", formatJson(run.output)],
      ["error", formatJson(run.error)],
      ["metadata", formatJson(run.metadata)],
    ]),
  );
}

async function cancel(args: string[]): Promise<void> {
  const { positionals } = parseOptions(args, {});
  const [id] = expectPositionals(positionals, 1, 1, "a run id");
  const result = await runs.cancel(id!);
  if (!result.canceled) console.log(`run ${result.id} had already ended (${result.status}); nothing changed`);
  else if (result.status === "EXECUTING") console.log(`asked executing run ${result.id} to stop; it ends CANCELED`);
  else console.log(`canceled run ${result.id}`);
}

/**
 * Runs the runs command with `args` (after the word "runs"). An unknown run id throws
 * RunNotFoundError (the `durabull` command prints it and exits 1).
 */
export async function runsCommand(args: string[]): Promise<void> {
  return runSubcommand(args, RUNS_USAGE, { list, get, cancel });
}
