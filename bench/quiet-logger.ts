/**
 * The bench's logger: errors only, so that the figures are not buried under worker start-up and
 * shutdown messages.
 */
import type { Logger } from "../src/config/logger.js";

/** Drops info and warnings; prints errors to stderr. */
export const quietLogger: Logger = { info: () => undefined, warn: () => undefined, error: (message) => console.error(message) };
