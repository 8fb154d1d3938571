// The digest line that lets kvm-lab tell its own, unedited Vagrantfile from one a person
// wrote or changed: a hash of every other line of the file.
import { createHash } from "node:crypto";

const DIGEST_LINE = /^# kvm-lab-digest: sha256:([0-9a-f]{64}|pending)\n/m;

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function withoutDigestLine(text: string): { body: string; match: RegExpExecArray | null } {
  const match = DIGEST_LINE.exec(text);
  const body = match ? text.slice(0, match.index) + text.slice(match.index + match[0].length) : text;
  return { body, match };
}

/** Fills the template's `# kvm-lab-digest: sha256:pending` line with the hash of the rest. */
export function stampDigest(text: string): string {
  const { body, match } = withoutDigestLine(text);
  if (!match) throw new Error("the Vagrantfile template lost its digest line");
  return `${text.slice(0, match.index)}# kvm-lab-digest: sha256:${sha256(body)}\n${text.slice(match.index + match[0].length)}`;
}

export type Provenance = "ours" | "edited" | "foreign";

/** Whether `text` is a Vagrantfile kvm-lab wrote and nobody changed since. */
export function provenanceOf(text: string): Provenance {
  const { body, match } = withoutDigestLine(text);
  if (!match) return "foreign";
  return sha256(body) === match[1] ? "ours" : "edited";
}
