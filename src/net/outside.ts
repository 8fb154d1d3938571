// The stand-in beyond the lab's NATs for the network check: `--outside 203.0.113.2` or
// `203.0.113.2:8080`, an IPv4 address and an optional TCP port.
import { UsageError } from "../errors.js";
import { parseIpv4 } from "./ipv4.js";

export interface OutsideStandIn {
  address: string;
  port?: number;
}

/** Parses ADDRESS or ADDRESS:PORT; a UsageError naming the option and the form otherwise. */
export function parseOutside(text: string, option = "--outside"): OutsideStandIn {
  const match = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/.exec(text);
  const port = match?.[2] === undefined ? undefined : Number(match[2]);
  if (!match || parseIpv4(match[1]) === undefined || (port !== undefined && (port < 1 || port > 65535))) {
    throw new UsageError(`${option}: "${text}" is not ADDRESS or ADDRESS:PORT`, { hint: "name an IPv4 address you control beyond the lab's NATs, e.g. --outside 203.0.113.2:8080" });
  }
  return { address: match[1], ...(port ? { port } : {}) };
}
