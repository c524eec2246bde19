// Copies the Lua scripts next to the compiled code that loads them (dist/src/redis/scripts).
import { cpSync } from "node:fs";

cpSync("src/redis/scripts", "dist/src/redis/scripts", { recursive: true, filter: (path) => !path.includes(".") || path.endsWith(".lua") });
