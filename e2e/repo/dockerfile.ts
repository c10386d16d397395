// Just enough of the Dockerfile syntax to check our images' structure: instructions (with line
// continuations), grouped into build stages.
export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  /** The FROM argument: an image reference or an earlier stage's name. */
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

export function parseInstructions(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) return;
    if (pending && line.startsWith('#')) return; // comments may sit inside a continued instruction
    const continued = line.endsWith('\\');
    const piece = continued ? line.slice(0, -1) : line;
    pending = pending ? { text: `${pending.text} ${piece}`, line: pending.line } : { text: piece, line: index + 1 };
    if (continued) return;
    const [keyword = '', ...rest] = pending.text.split(/\s+/);
    instructions.push({ keyword: keyword.toUpperCase(), args: rest.join(' '), line: pending.line });
    pending = undefined;
  });
  return instructions;
}

export function parseStages(text: string): Stage[] {
  const stages: Stage[] = [];
  // ARGs before the first FROM may parameterise the FROM lines; their defaults are what builds.
  const globalArgs = new Map<string, string>();
  const substituted = (value: string) => value.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => globalArgs.get(name) ?? whole);
  for (const instruction of parseInstructions(text)) {
    if (instruction.keyword === 'ARG' && stages.length === 0) {
      const [name = '', value = ''] = instruction.args.split('=');
      globalArgs.set(name, value);
    } else if (instruction.keyword === 'FROM') {
      const words = substituted(instruction.args)
        .split(/\s+/)
        .filter((word) => !word.startsWith('--'));
      const asIndex = words.findIndex((word) => word.toUpperCase() === 'AS');
      stages.push({ from: words[0], name: asIndex >= 0 ? words[asIndex + 1] : undefined, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction); // before the first FROM only ARG counts
    }
  }
  return stages;
}

/** The last value an instruction takes in a stage, following its FROM chain back to earlier stages. */
export function effective(stages: Stage[], stage: Stage, keyword: string): string | undefined {
  const own = stage.instructions.filter((instruction) => instruction.keyword === keyword).at(-1);
  if (own) return own.args;
  const parent = stages.find((candidate) => candidate.name === stage.from);
  return parent ? effective(stages, parent, keyword) : undefined;
}

/** Why an image reference is not pinned, or undefined when it is (an explicit tag other than latest, or a digest). */
export function unpinnedReason(image: string): string | undefined {
  if (image.includes('@sha256:')) return undefined;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.split(':').at(-1) : undefined;
  if (!tag) return `${image} has no tag (that means :latest)`;
  if (tag === 'latest') return `${image} uses :latest`;
  return undefined;
}

/** A USER value that runs as root (or no USER at all, which means root). */
export function isRootUser(user: string | undefined): boolean {
  if (user === undefined) return true;
  const name = user.split(':')[0].trim();
  return name === '' || name === '0' || name === 'root';
}
