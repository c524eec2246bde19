/**
 * Loads task modules for the worker process: each path is a module file or a directory of
 * them (searched recursively, skipping node_modules, dot-folders and test files). TypeScript
 * modules are loaded through tsx. Every export made by `task()` or `schemaTask()` is a task.
 */
import { readdir, stat } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigurationError } from "../src/errors/configuration-error.js";
import { isTask, type HasTaskDefinition } from "../src/engine/task-definition.js";

const MODULE_EXTENSIONS = new Set([".js", ".mjs", ".ts", ".mts"]);

async function moduleFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (info.isFile()) return [path];
  const files: string[] = [];
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory() && entry.name !== "node_modules" && !entry.name.startsWith(".")) {
      files.push(...(await moduleFiles(child)));
    } else if (entry.isFile() && MODULE_EXTENSIONS.has(extname(entry.name)) && !/\.(test|spec|d)\.[mc]?[jt]s$/.test(entry.name)) {
      files.push(child);
    }
  }
  return files.sort();
}

/** Imports the modules at `paths` and returns the tasks they export. */
export async function loadTasks(paths: string[]): Promise<HasTaskDefinition[]> {
  const files = (
    await Promise.all(
      paths.map((path) =>
        moduleFiles(resolve(path)).catch((error: NodeJS.ErrnoException) => {
          if (error.code === "ENOENT") throw new ConfigurationError(`Task module path ${JSON.stringify(path)} does not exist.`);
          throw error;
        }),
      ),
    )
  ).flat();
  if (files.some((file) => /\.m?ts$/.test(file))) {
    const { register } = await import("tsx/esm/api");
    register();
  }
  const found: HasTaskDefinition[] = [];
  for (const file of files) {
    const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    found.push(...Object.values(exports).filter(isTask));
  }
  if (found.length === 0) {
    throw new ConfigurationError(`No tasks found in ${paths.join(", ")}: export the objects task() or schemaTask() return.`);
  }
  return found;
}
