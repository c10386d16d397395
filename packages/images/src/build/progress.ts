// Build output shown as progress: each BuildKit step once, as it starts, cut to one line.
export function stepPrinter(write: (line: string) => void, prefix = '  '): (line: string) => void {
  const seen = new Set<string>();
  return (line) => {
    const step = /^#(\d+) (\[.*)$/.exec(line);
    if (step && !seen.has(step[1]!)) {
      seen.add(step[1]!);
      const text = step[2]!.replace(/\s+/g, ' ');
      write(`${prefix}${text.length > 110 ? `${text.slice(0, 109)}…` : text}`);
    } else if (/^#\d+ ERROR|^error:|^ERROR/.test(line)) write(`${prefix}${line}`);
  };
}
