/**
 * Errors as stored with a run and returned by `runs.retrieve`: plain JSON, keeping the name,
 * message, durabull `code` and stack.
 */

/** An error in a form that survives JSON. */
export interface SerializedError {
  name: string;
  message: string;
  /** The durabull error code, where the error had one. */
  code?: string;
  stack?: string;
}

/** Turns anything thrown into a SerializedError. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      ...(typeof code === "string" ? { code } : {}),
      ...(error.stack ? { stack: error.stack } : {}),
    };
  }
  return { name: "Error", message: typeof error === "string" ? error : safeStringify(error) };
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
