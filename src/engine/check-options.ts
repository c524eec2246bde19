/**
 * Checks options and payloads against zod schemas and turns zod's issues into durabull's
 * typed errors, with a message naming each bad field.
 */
import { z } from "zod";
import { ConfigurationError } from "../errors/configuration-error.js";
import type { PayloadIssue } from "../errors/task-payload-error.js";

/** zod's issues as `{ path, message }`. */
export function issuesOf(error: z.ZodError): PayloadIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((part) => (typeof part === "number" ? part : String(part))),
    message: issue.message,
  }));
}

/**
 * Parses `value` with `schema`, or throws ConfigurationError saying which fields of `what`
 * were wrong.
 *
 * @example checkOptions(triggerOptionsSchema, options, "trigger options")
 */
export function checkOptions<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const detail = issuesOf(result.error)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(value)"}: ${issue.message}`)
    .join("; ");
  throw new ConfigurationError(`Invalid ${what}: ${detail}`);
}

/** A schema taking one value or an array of them, and giving an array. */
export function oneOrMany<T extends z.ZodType>(schema: T) {
  return z.union([schema, z.array(schema)]).transform((value) => (Array.isArray(value) ? value : [value]) as z.output<T>[]);
}
