// Small pieces of English for messages built around a value: the article a word takes.

/** Acronyms said as a word ("a NAT"), not letter by letter ("an HTTP"). */
const SAID_AS_WORDS = new Set(["NAT", "NIC", "MAC", "LAN", "VLAN", "WAN", "RAM", "SATA", "QEMU", "KVM"]);

/** Letters whose spoken name starts with a vowel sound: "an SSH key", "an LXC guest". */
const VOWEL_LETTER_NAMES = "AEFHILMNORSX";

/** "a" or "an" before `word`, by how it is said: "an intnet", "a natnetwork", "a NAT", "an IP", "a unique". */
export function articleFor(word: string): "a" | "an" {
  const first = /[A-Za-z0-9]+/.exec(word)?.[0] ?? "";
  if (!first) return "a";
  // An acronym, alone or leading a name ("UDPTunnel"): said letter by letter unless it is a word.
  const acronym = /^[A-Z0-9]{2,}(?=[A-Z][a-z]|$)/.exec(first)?.[0];
  if (acronym && !SAID_AS_WORDS.has(acronym)) {
    return VOWEL_LETTER_NAMES.includes(acronym[0]) || acronym[0] === "8" ? "an" : "a";
  }
  const lower = first.toLowerCase();
  if (/^(uni|use|usu|uti|ubi|one|once|eu)/.test(lower)) return "a";
  if (/^(hour|honest|honou?r|heir)/.test(lower)) return "an";
  if (/^8/.test(lower) || /^(11|18)(\D|$)/.test(lower)) return "an";
  return /^[aeiou]/.test(lower) ? "an" : "a";
}

/** The word with its article: withArticle("intnet") is "an intnet". */
export function withArticle(word: string): string {
  return `${articleFor(word)} ${word}`;
}
