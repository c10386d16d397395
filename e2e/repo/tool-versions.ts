// The "Tool versions" table of README.md, between its tool-versions markers: the one place that
// states which versions the devcontainer, the images and the kind cluster pin.
import { readRepoFile } from './repo-files';

const START = '<!-- tool-versions:start -->';
const END = '<!-- tool-versions:end -->';

/** Tool name -> version, from rows like `| kind | 0.32.0 | ... |`. */
export function readmeToolVersions(readme = readRepoFile('README.md')): Map<string, string> {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no "${START}" … "${END}" section`);
  const versions = new Map<string, string>();
  for (const line of readme.slice(start + START.length, end).split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    // A row is | tool | version | where |: cells[0] and the last are the empty edges.
    if (cells.length < 4 || cells[1] === 'Tool' || /^-+$/.test(cells[1])) continue;
    versions.set(cells[1], cells[2]);
  }
  return versions;
}

export function readmeVersion(tool: string): string {
  const version = readmeToolVersions().get(tool);
  if (!version) throw new Error(`README.md's tool-versions table has no row for "${tool}"`);
  return version;
}
