/** One word for a POSIX shell command line, whatever it contains (a path with spaces or quotes). */
export const shellQuote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
