// Live progress on a terminal: one line per machine, redrawn in place (cursor up, clear to
// the end); plain lines when the output is not a terminal (CI logs).
import type { Io } from "./context.js";

/** A printer of per-machine progress messages; a repeated message is not printed again. */
export function progressPrinter(io: Io, machines: string[]): (machine: string, message: string) => void {
  const live = Boolean(io.isTTY);
  const last = new Map(machines.map((m) => [m, "waiting"]));
  const width = Math.max(...machines.map((m) => m.length));
  let drawn = false;
  return (machine, message) => {
    if (last.get(machine) === message) return;
    last.set(machine, message);
    if (!live) return io.err(`${machine}: ${message}`);
    const cut = (text: string) => text.slice(0, Math.max(20, (io.columns ?? 100) - width - 3));
    const block = machines.map((m) => `${m.padEnd(width)}  ${cut(last.get(m) ?? "")}`).join("\n");
    io.write?.(`${drawn ? `\x1b[${machines.length}A` : ""}\x1b[J${block}\n`);
    drawn = true;
  };
}
