/**
 * UnknownTaskError: a worker took a run of a task it has no definition for, or a task id was
 * used that nothing defines.
 */
import { DurabullError } from "./durabull-error.js";

/** No task with this id is defined where it was needed. */
export class UnknownTaskError extends DurabullError {
  readonly code = "UNKNOWN_TASK";
  readonly taskId: string;

  constructor(taskId: string, where: string) {
    super(`No task "${taskId}" is defined ${where}.`);
    this.taskId = taskId;
  }
}
