/**
 * MULTI/EXEC and pipelines with errors surfaced: ioredis reports a failed command inside a
 * transaction or pipeline as an entry of the reply, which is easy to miss; this throws it.
 * Transactions stay within one hash slot; pipelines (not atomic) may span runs.
 */

/** Runs a MULTI or pipeline and returns its replies, throwing the first command error among them. */
export async function execOrThrow(multi: { exec(): Promise<[Error | null, unknown][] | null> }): Promise<unknown[]> {
  const replies = await multi.exec();
  if (!replies) throw new Error("Redis transaction was aborted");
  for (const [error] of replies) if (error) throw error;
  return replies.map(([, reply]) => reply);
}
