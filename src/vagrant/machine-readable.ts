// Vagrant's --machine-readable output: `timestamp,target,type,data...`, with commas in data
// written as %!(VAGRANT_COMMA) and newlines as a literal \n.

export interface MachineReadableLine {
  timestamp: number;
  /** The machine the line is about, or "" for the whole run. */
  target: string;
  type: string;
  data: string[];
}

function unescape(field: string): string {
  return field.replace(/%!\(VAGRANT_COMMA\)/g, ",").replace(/\\n/g, "\n").replace(/\\r/g, "");
}

/** One line, or undefined when it is not machine-readable output. */
export function parseMachineReadable(line: string): MachineReadableLine | undefined {
  const fields = line.split(",");
  if (fields.length < 3 || !/^\d+$/.test(fields[0])) return undefined;
  return { timestamp: Number(fields[0]), target: fields[1], type: fields[2], data: fields.slice(3).map(unescape) };
}

/** The human text a line carries (`ui` messages), if any. */
export function messageOf(line: MachineReadableLine): string | undefined {
  if (line.type === "ui") return line.data.slice(1).join(",").trim();
  if (line.type === "error-exit") return `error: ${line.data.slice(1).join(",").trim()}`;
  return undefined;
}

/** `vagrant status --machine-readable` -> machine name -> state (running, shutoff, not_created, ...). */
export function statesOf(output: string): Map<string, string> {
  const states = new Map<string, string>();
  for (const raw of output.split("\n")) {
    const line = parseMachineReadable(raw);
    if (line?.type === "state" && line.target) states.set(line.target, line.data[0]);
  }
  return states;
}

/** A message's first line as a progress line: Vagrant's own prefix (`==> node1: `) dropped, since the printer names the machine. */
export function progressTextOf(message: string): string {
  return message.split("\n")[0].replace(/^(==> )?[\w.-]+: /, "").trim();
}
