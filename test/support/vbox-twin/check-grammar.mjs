// Replays VBoxManage command lines (one JSON array a line on stdin) against the grammar of
// one VirtualBox version and host platform; prints each one it would refuse, as JSON with
// VirtualBox's error text. Usage: node check-grammar.mjs 7.1 darwin < calls
import fs from "node:fs";
import { parseCommand } from "./grammar/index.mjs";

const [version, host] = process.argv.slice(2);
for (const line of fs.readFileSync(0, "utf8").split("\n").filter(Boolean)) {
  const argv = JSON.parse(line);
  const parsed = parseCommand(argv, { version, host });
  if (!parsed.ok) process.stdout.write(`${JSON.stringify({ argv, error: parsed.stderr.split("\n")[0] })}\n`);
}
