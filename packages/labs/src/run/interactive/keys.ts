// The learner's keys, from a raw-mode terminal.
import { emitKeypressEvents } from 'node:readline';
import type { Key } from './events';

const KEYS: Record<string, Key> = { n: 'next', h: 'hint', c: 'check', r: 'reset', q: 'quit' };

export function keyFor(text: string | undefined, key: { name?: string; ctrl?: boolean } | undefined): Key | null {
  if (key?.ctrl && key.name === 'c') return 'quit';
  return KEYS[key?.name ?? text ?? ''] ?? null;
}

/** Reads single keypresses (no Enter) until closed, which gives the terminal back as it was. */
export function listenForKeys(stdin: NodeJS.ReadStream, onKey: (key: Key) => void): { close(): void } {
  const listener = (text: string | undefined, key: { name?: string; ctrl?: boolean } | undefined) => {
    const known = keyFor(text, key);
    if (known) onKey(known);
  };
  emitKeypressEvents(stdin);
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.on('keypress', listener);
  stdin.resume();
  return {
    close() {
      stdin.off('keypress', listener);
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
    },
  };
}
