// Puts rendered screens on the terminal. A screen that only changes its last line or adds lines
// below it (a spinner turning, a task finishing) is written from the start of that last line;
// anything else clears the terminal and draws it whole. So progress does not flicker, and nothing
// depends on how many rows the terminal has.
import { visibleLength } from '../../render/style';

const CLEAR = '\x1b[2J\x1b[3J\x1b[H';

/**
 * What to write to go from the screen shown (null: none yet) to the next one, on a terminal
 * `columns` wide: a last line longer than that wrapped onto more rows, which the cursor goes up first.
 */
export function screenUpdate(shown: string | null, next: string, columns = Infinity): string {
  if (shown !== null) {
    const lastLine = shown.lastIndexOf('\n') + 1;
    if (next.startsWith(shown.slice(0, lastLine))) {
      const rows = Math.max(1, Math.ceil(visibleLength(shown.slice(lastLine)) / columns));
      return `${rows > 1 ? `\x1b[${rows - 1}A` : ''}\r\x1b[J${next.slice(lastLine)}`;
    }
  }
  return CLEAR + next;
}

export function createScreen(out: { write(text: string): void; columns?: number }): { draw(text: string): void } {
  let shown: string | null = null;
  return {
    draw(next) {
      if (next === shown) return;
      out.write(screenUpdate(shown, next, out.columns || Infinity));
      shown = next;
    },
  };
}
