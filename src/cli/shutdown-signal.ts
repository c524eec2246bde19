/**
 * The shutdown signal of a long-running command (worker, serve, dev): the first SIGTERM or
 * SIGINT starts a graceful shutdown; a second one exits at once.
 */

/** Resolves with the first SIGTERM or SIGINT; after it, another one exits the process (code 130). */
export function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const received = (signal: NodeJS.Signals) => {
      process.off("SIGTERM", received);
      process.off("SIGINT", received);
      process.once("SIGTERM", () => process.exit(130));
      process.once("SIGINT", () => process.exit(130));
      resolve(signal);
    };
    process.once("SIGTERM", received);
    process.once("SIGINT", received);
  });
}
