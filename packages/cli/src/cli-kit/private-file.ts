import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Writes a file only its owner may read (0600), whatever the file was before: the text goes to a
 * new temporary file created 0600 beside it, which then replaces it. (Writing into an existing
 * file keeps that file's mode, e.g. 0644, and would leave Secret values readable by others.)
 */
export function writePrivateFile(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, text, { mode: 0o600, flag: 'wx' });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
