/**
 * docker-compose.yml checked without a Docker engine: Debian's `docker-compose config` validates
 * and resolves it (.ci/run installs it where missing), and the resolved file must run Redis with
 * AOF and noeviction, a worker, and the HTTP service with the dashboard on port 3030.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const SECRET = "compose-check-secret-0123456789";

/** Runs `docker-compose <args>` in the project root with `env` added. */
function compose(args: string[], env: Record<string, string> = {}) {
  const { DURABULL_SECRET_KEY: _ignored, ...inherited } = process.env;
  return run("docker-compose", ["-f", "docker-compose.yml", ...args], { env: { ...inherited, ...env } });
}

describe("docker-compose.yml", () => {
  it("is valid (docker-compose config -q)", async () => {
    await expect(compose(["config", "-q"], { DURABULL_SECRET_KEY: SECRET })).resolves.toBeDefined();
  });

  it("runs Redis with AOF and noeviction, a worker and the HTTP service with the dashboard", async () => {
    const { stdout } = await compose(["config"], { DURABULL_SECRET_KEY: SECRET });
    expect(stdout).toMatch(/- --appendonly\n\s+- ["']?yes/);
    expect(stdout).toMatch(/- --maxmemory-policy\n\s+- noeviction/);
    expect(stdout).toMatch(/worker:\n/);
    expect(stdout).toMatch(/- serve\n/);
    expect(stdout).not.toContain("--no-dashboard");
    expect(stdout).toMatch(/published: 3030|3030:3030/);
    expect(stdout).toContain(`DURABULL_SECRET_KEY: ${SECRET}`);
  });

  it("refuses to start without a secret key, saying what to set", async () => {
    await expect(compose(["config", "-q"])).rejects.toMatchObject({ stderr: expect.stringContaining("set DURABULL_SECRET_KEY") });
  });
});
