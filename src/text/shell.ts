// Text for a POSIX shell (bash and zsh alike): a path or word to paste or to put in a script.

/** One shell word: as it is when plain, else single-quoted. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9._\/-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}
