// The digest of a lab's config as far as its machines are concerned: a hash of the normalized
// Lab with the fields that only steer kvm-lab itself left out (check timeouts and required
// checks, the up timeout, where the config file is, messages' dot-paths and the raw entries
// the normalized fields come from). Two configs with the same digest make the same machines,
// so a snapshot saved under one still fits the other.
import { createHash } from "node:crypto";
import type { Lab } from "../config/types.js";

const LAB_FIELDS_NOT_MACHINES = new Set(["requiredChecks", "checkTimeoutSeconds", "upTimeoutMinutes", "source"]);
const MESSAGE_ONLY = new Set(["path", "entry"]);

/** JSON with the keys of every object sorted, so the same lab always gives the same text. */
function stableJson(value: unknown, skip: (key: string, depth: number) => boolean, depth = 0): string {
  if (Array.isArray(value)) return `[${value.map((v) => stableJson(v, skip, depth + 1)).join(",")}]`;
  if (value && typeof value === "object") {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined && !skip(k, depth)).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k], skip, depth + 1)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** `sha256:<hex>` of what in the lab makes its machines. */
export function labConfigDigest(lab: Lab): string {
  const text = stableJson(lab, (key, depth) => (depth === 0 ? LAB_FIELDS_NOT_MACHINES.has(key) : MESSAGE_ONLY.has(key)));
  return `sha256:${createHash("sha256").update(text, "utf8").digest("hex")}`;
}
