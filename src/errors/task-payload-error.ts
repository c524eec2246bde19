/**
 * TaskPayloadError: a payload failed a schemaTask's zod schema. Thrown by `trigger` before
 * anything is written, and by the worker (failing the run without retries) when a payload
 * reached it unchecked.
 */
import { DurabullError } from "./durabull-error.js";

/** One problem the schema found: where in the payload, and what. */
export interface PayloadIssue {
  /** Path into the payload, e.g. `["items", 0, "sku"]`. */
  path: (string | number)[];
  message: string;
}

/** The payload does not match the task's schema. */
export class TaskPayloadError extends DurabullError {
  readonly code = "TASK_PAYLOAD_INVALID";
  readonly taskId: string;
  readonly issues: PayloadIssue[];

  constructor(taskId: string, issues: PayloadIssue[], options: { cause?: unknown } = {}) {
    const summary = issues
      .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(payload)"}: ${issue.message}`)
      .join("; ");
    super(`Invalid payload for task "${taskId}": ${summary}`, options);
    this.taskId = taskId;
    this.issues = issues;
  }
}
