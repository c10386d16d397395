// Puts rendered screens on the terminal. A screen that only changes its last line or adds lines
// below it (a spinner turning, a task finishing) is written from the cursor's line; anything else
// clears the terminal and draws it whole. So progress does not flicker, and nothing depends on
// how many rows the terminal has.
const CLEAR = '\x1b[2J\x1b[3J\x1b[H';

/** What to write to go from the screen shown (null: none yet) to the next one. */
export function screenUpdate(shown: string | null, next: string): string {
  if (shown !== null) {
    const above = shown.slice(0, shown.lastIndexOf('\n') + 1);
    if (next.startsWith(above)) return `\r\x1b[K${next.slice(above.length)}`;
  }
  return CLEAR + next;
}

export function createScreen(out: { write(text: string): void }): { draw(text: string): void } {
  let shown: string | null = null;
  return {
    draw(next) {
      if (next === shown) return;
      out.write(screenUpdate(shown, next));
      shown = next;
    },
  };
}
