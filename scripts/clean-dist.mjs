// Empties dist/ before a build, so that a file whose source was deleted or renamed (a Lua script
// renamed for its new number of keys, say) is not left there to be packed with the next release.
import { rmSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });
