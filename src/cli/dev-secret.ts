/**
 * The secret key of `durabull dev`: DURABULL_SECRET_KEY when set; else one made on first use and
 * kept in the dev data directory (readable by its owner only), so token URLs and the dashboard
 * password stay the same across restarts.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** The secret key dev uses, and where it came from. */
export async function devSecretKey(dataDir: string): Promise<{ secretKey: string; source: string }> {
  const configured = process.env.DURABULL_SECRET_KEY;
  if (configured) return { secretKey: configured, source: "DURABULL_SECRET_KEY" };
  const file = join(dataDir, "secret-key");
  try {
    return { secretKey: (await readFile(file, "utf8")).trim(), source: file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const secretKey = randomBytes(24).toString("base64url");
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${secretKey}\n`, { mode: 0o600, flag: "wx" });
  return { secretKey, source: file };
}
