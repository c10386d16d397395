import { padEnd, style, visibleLength } from './style';

/** A plain aligned table: readable in a terminal and in a CI log alike. */
export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(visibleLength(title), ...rows.map((row) => visibleLength(row[column] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : padEnd(cell, widths[column])))
      .join('  ')
      .trimEnd();
  return [style.bold(line(header)), style.dim(widths.map((w) => '─'.repeat(w)).join('  ')), ...rows.map(line)].join('\n');
}
