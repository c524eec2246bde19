/**
 * EvictionPolicyError: Redis is set to evict keys under memory pressure, which would silently
 * drop parked runs, journals and tokens. Workers refuse to start against such a server.
 */
import { DurabullError } from "./durabull-error.js";

/** Redis' `maxmemory-policy` is not `noeviction`. */
export class EvictionPolicyError extends DurabullError {
  readonly code = "EVICTION_POLICY";
  readonly policy: string;

  constructor(policy: string) {
    super(
      `Redis maxmemory-policy is "${policy}", which lets Redis evict keys and lose runs, ` +
        `journals and tokens. durabull needs "noeviction": run ` +
        `\`redis-cli CONFIG SET maxmemory-policy noeviction\` and set ` +
        `\`maxmemory-policy noeviction\` in redis.conf so it survives a restart.`,
    );
    this.policy = policy;
  }
}
