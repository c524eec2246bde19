/**
 * durabull's settings: what `configure()` was given, else the `DURABULL_*` environment, else
 * defaults. Checked once, when resolved, with errors that say what was allowed.
 */
import { Redis } from "ioredis";
import { ConfigurationError } from "../errors/configuration-error.js";
import { parseDuration } from "../engine/duration.js";
import { DEFAULT_REDIS_URL, type ConnectionInput } from "../redis/connection.js";
import { assertValidPrefix } from "../redis/keys.js";
import { consoleLogger, type Logger } from "./logger.js";

/** What `configure()` accepts. Every field is optional. */
export interface DurabullOptions {
  /**
   * The Redis to use: a URL, ioredis options, or an ioredis instance (shared, never closed by
   * durabull). Default: `DURABULL_REDIS_URL`, else `redis://127.0.0.1:6379`.
   */
  connection?: ConnectionInput;
  /** Prefix of every Redis key. Default: `DURABULL_PREFIX`, else `"durabull"`. */
  prefix?: string;
  /**
   * Signs callback URLs and public access tokens, and guards the HTTP API.
   * Default: `DURABULL_SECRET_KEY`.
   */
  secretKey?: string;
  /** Base URL of the HTTP service, used in `token.url`. Default: `DURABULL_PUBLIC_URL`, else `http://localhost:3030`. */
  publicUrl?: string;
  /**
   * How long a finished run (record, journal, BullMQ job) is kept, as a duration string.
   * Default: `DURABULL_RETENTION`, else `"7d"`.
   */
  retention?: string;
  /**
   * The most unread values one input stream of a run holds; a send beyond it is refused with
   * InputStreamFullError. Default: `DURABULL_INPUT_STREAM_LIMIT`, else 1000.
   */
  inputStreamLimit?: number;
  /** Where operational messages go. Default: stderr. */
  logger?: Logger;
}

/** Settings after defaults and checks. */
export interface Settings {
  connection: ConnectionInput;
  prefix: string;
  secretKey: string | undefined;
  publicUrl: string;
  retentionMs: number;
  inputStreamLimit: number;
  logger: Logger;
}

/** Resolves options over the environment over defaults; throws ConfigurationError on a bad value. */
export function resolveSettings(options: DurabullOptions = {}, env: NodeJS.ProcessEnv = process.env): Settings {
  const connection = options.connection ?? nonEmpty(env.DURABULL_REDIS_URL) ?? DEFAULT_REDIS_URL;
  if (typeof connection === "string" && !/^rediss?:\/\//.test(connection)) {
    throw new ConfigurationError(
      `connection must be a redis:// or rediss:// URL, ioredis options or an ioredis instance; got ${JSON.stringify(connection)}.`,
    );
  }
  if (typeof connection !== "string" && !(connection instanceof Redis) && (typeof connection !== "object" || connection === null)) {
    throw new ConfigurationError("connection must be a redis:// URL, ioredis options or an ioredis instance.");
  }
  const prefix = options.prefix ?? nonEmpty(env.DURABULL_PREFIX) ?? "durabull";
  assertValidPrefix(prefix);
  const publicUrl = (options.publicUrl ?? nonEmpty(env.DURABULL_PUBLIC_URL) ?? "http://localhost:3030").replace(/\/+$/, "");
  if (!URL.canParse(publicUrl) || !/^https?:$/.test(new URL(publicUrl).protocol)) {
    throw new ConfigurationError(`publicUrl must be an http(s) URL; got ${JSON.stringify(publicUrl)}.`);
  }
  const secretKey = options.secretKey ?? nonEmpty(env.DURABULL_SECRET_KEY);
  if (secretKey !== undefined && secretKey.length < 16) {
    throw new ConfigurationError("secretKey must be at least 16 characters long.");
  }
  const retention = options.retention ?? nonEmpty(env.DURABULL_RETENTION) ?? "7d";
  const inputStreamLimit = options.inputStreamLimit ?? Number(nonEmpty(env.DURABULL_INPUT_STREAM_LIMIT) ?? 1_000);
  if (!Number.isInteger(inputStreamLimit) || inputStreamLimit < 1) {
    throw new ConfigurationError(`inputStreamLimit must be a whole number of at least 1; got ${JSON.stringify(options.inputStreamLimit ?? env.DURABULL_INPUT_STREAM_LIMIT)}.`);
  }
  return {
    connection,
    prefix,
    secretKey,
    publicUrl,
    retentionMs: parseDuration(retention, "retention"),
    inputStreamLimit,
    logger: options.logger ?? consoleLogger,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
