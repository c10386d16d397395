/** Levenshtein distance: typos in workload names are mostly one or two edits. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * Names close to `wanted`, best first: within a third of the name's length in edits
 * (at least 2), or containing it / contained in it ("cat" → "catalog").
 */
export function closeNames(wanted: string, candidates: string[], max = 3): string[] {
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  return candidates
    .map((name) => ({ name, distance: editDistance(wanted, name) }))
    .filter(({ name, distance }) => distance <= limit || name.includes(wanted) || wanted.includes(name))
    .sort((x, y) => x.distance - y.distance || x.name.localeCompare(y.name))
    .slice(0, max)
    .map(({ name }) => name);
}
