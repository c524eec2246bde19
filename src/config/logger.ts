/**
 * The logger durabull writes operational messages to (worker errors, reconnects, shutdown).
 * Any object with these three methods will do — pino, winston and console all fit.
 */

/** Where durabull logs. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Writes to stderr as `[durabull] message {fields}`. */
export const consoleLogger: Logger = {
  info: (message, fields) => console.error(`[durabull] ${message}`, ...(fields ? [fields] : [])),
  warn: (message, fields) => console.error(`[durabull] ${message}`, ...(fields ? [fields] : [])),
  error: (message, fields) => console.error(`[durabull] ${message}`, ...(fields ? [fields] : [])),
};
