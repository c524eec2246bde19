/**
 * `durabull queues list|pause|resume`: the queue controls of an incident — every queue's counts,
 * pausing and resuming one queue or every queue — through the `queues` SDK, from anywhere with
 * a Redis connection.
 */
import type { QueueDetails } from "../engine/queues.js";
import { queues } from "../sdk/queues.js";
import { printList, type Column } from "./command-output.js";
import { expectPositionals, parseOptions, runSubcommand } from "./subcommand.js";

/** Usage text of the command. */
export const QUEUES_USAGE = `Usage: durabull queues <subcommand> [options]

Subcommands:
  list [--json]         every queue: paused flag, concurrency limit, runs in each state
  pause <name>          pause a queue for every worker: no run starts or resumes, executing
                        runs finish or park, nothing is lost
  pause --all           pause every queue (queues that appear meanwhile start paused)
  resume <name>         resume a paused queue
  resume --all          resume every queue

Options:
  --json      print the SDK's JSON instead of a table
  -h, --help  print this text

Redis and the key prefix come from DURABULL_REDIS_URL and DURABULL_PREFIX.`;

const COLUMNS: Column<QueueDetails>[] = [
  { header: "NAME", cell: (queue) => queue.name },
  { header: "PAUSED", cell: (queue) => (queue.paused ? "yes" : "no") },
  { header: "LIMIT", cell: (queue) => String(queue.concurrencyLimit ?? "-") },
  { header: "QUEUED", cell: (queue) => String(queue.counts.queued) },
  { header: "EXECUTING", cell: (queue) => String(queue.counts.executing) },
  { header: "WAITING", cell: (queue) => String(queue.counts.waiting) },
  { header: "DELAYED", cell: (queue) => String(queue.counts.delayed) },
  { header: "COMPLETED", cell: (queue) => String(queue.counts.completed) },
  { header: "FAILED", cell: (queue) => String(queue.counts.failed) },
];

async function list(args: string[]): Promise<void> {
  const { values, positionals } = parseOptions(args, { json: { type: "boolean" } });
  expectPositionals(positionals, 0, 0, "no arguments");
  printList(await queues.list(), COLUMNS, values.json);
}

/** How `pause` or `resume` acts on one queue and on every queue, and how it reports. */
interface Switch {
  verb: "paused" | "resumed";
  /** Whether a queue already is as this switch leaves it. */
  done: (queue: QueueDetails) => boolean;
  one: (name: string) => Promise<void>;
  all: () => Promise<string[]>;
}

/** The subcommand that flips queues with `change`: one named queue (which must exist), or `--all`. */
function switchCommand(change: Switch) {
  return async (args: string[]): Promise<void> => {
    const { values, positionals } = parseOptions(args, { all: { type: "boolean" } });
    if (values.all) {
      expectPositionals(positionals, 0, 0, "no queue name with --all");
      const names = await change.all();
      console.log(`${change.verb} all queues${names.length > 0 ? `: ${names.join(", ")}` : " (none exist yet)"}`);
      return;
    }
    const [name] = expectPositionals(positionals, 1, 1, "a queue name, or --all");
    if (change.done(await queues.retrieve(name!))) {
      console.log(`queue "${name}" was already ${change.verb}`);
      return;
    }
    await change.one(name!);
    console.log(`${change.verb} queue "${name}"`);
  };
}

/**
 * Runs the queues command with `args` (after the word "queues"). An unknown queue name throws
 * QueueNotFoundError (the `durabull` command prints it and exits 1).
 */
export async function queuesCommand(args: string[]): Promise<void> {
  return runSubcommand(args, QUEUES_USAGE, {
    list,
    pause: switchCommand({ verb: "paused", done: (queue) => queue.paused, one: queues.pause, all: queues.pauseAll }),
    resume: switchCommand({ verb: "resumed", done: (queue) => !queue.paused, one: queues.resume, all: queues.resumeAll }),
  });
}
