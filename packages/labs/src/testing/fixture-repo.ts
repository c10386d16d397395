// A throwaway git repository with one small lab, for the runner's tests (never the real labs).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readmeCommand } from '../commands/readme';

const here = dirname(fileURLToPath(import.meta.url));
export const CLI = resolve(here, '../cli.ts');
const INDEX = resolve(here, '../index.ts');

export interface FixtureOptions {
  /** What the solution writes instead of "bye"; anything but "hello" is a broken solution. */
  solutionWord?: string;
  /** A check that passes whatever the file says (a check that cannot fail). */
  checkAlwaysPasses?: boolean;
  /** Adds an action whose shell-out fails with output on both streams. */
  failingAction?: boolean;
  /** The check takes 20 s once the solution is in, so a test can interrupt the run there. */
  slowWithSolution?: boolean;
  /** Adds an action task and a learner step whose `skipIf` says they cannot run here. */
  preconditionMissing?: boolean;
}

function labSource(options: FixtureOptions): string {
  const condition = options.checkAlwaysPasses ? 'true' : "text.includes('hello')";
  return `import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineLab, fail, pass } from ${JSON.stringify(INDEX)};

export default defineLab({
  title: 'Greetings',
  summary: 'A fixture lab for the runner tests.',
  steps: [
    { kind: 'text', title: 'Welcome', body: 'This lab changes **one word** in greeting.txt.' },
    {
      kind: 'action',
      title: 'Warm up',
      tasks: [
        { title: 'Count the files', run: async (ctx) => \`\${(await ctx.$\`git ls-files\`).stdout.split('\\n').filter(Boolean).length} files\` },
${options.failingAction ? "{ title: 'Build the images', run: async (ctx) => { await ctx.$`sh -c 'echo building layer 3; echo no space left on device >&2; exit 3'`; } }," : ''}
        { title: 'Pick the cluster', run: async (ctx) => \`backend \${await ctx.backend()}\` },
        { title: 'Ask the Docker engine', needs: ['docker'], run: async (ctx) => { await ctx.$\`docker info\`; } },
${options.preconditionMissing ? "        { title: 'Start the intercept', skipIf: async () => 'ffk has no intercept command yet', run: async () => { throw new Error('must not run'); } }," : ''}
      ],
    },
${
  options.preconditionMissing
    ? `    {
      kind: 'task',
      title: 'Edit through the intercept',
      body: 'Needs the intercept.',
      watch: ['greeting.txt'],
      skipIf: () => 'ffk has no intercept command yet',
      check: () => pass('cannot fail'),
      hints: ['none'],
      solution: { edits: [{ file: 'greeting.txt', find: 'world', replace: 'there' }] },
    },`
    : ''
}
    {
      kind: 'task',
      title: 'Say hello',
      body: 'Make greeting.txt say hello.',
      watch: ['greeting.txt'],
      loop: 'edit+check',
      check: async (ctx) => {
        const text = readFileSync(join(ctx.repoRoot, 'greeting.txt'), 'utf8');
        ${options.slowWithSolution ? "if (text.includes('hello')) await new Promise((resolve) => setTimeout(resolve, 20000));" : ''}
        return ${condition} ? pass('greeting.txt says hello') : fail('greeting.txt says ' + text.trim());
      },
      hints: ['Open greeting.txt.', 'Replace bye with hello.'],
      solution: { edits: [{ file: 'greeting.txt', find: 'bye', replace: ${JSON.stringify(options.solutionWord ?? 'hello')} }] },
    },
    { kind: 'chart', title: 'Your loops', body: 'Your feedback loops so far.' },
  ],
  // Stands in for re-applying the overlay: leaves a mark the tests can see.
  async resetCluster(ctx) {
    mkdirSync(join(ctx.repoRoot, '.ffk'), { recursive: true });
    writeFileSync(join(ctx.repoRoot, '.ffk', 'cluster-reset'), 'reset');
  },
});
`;
}

export interface FixtureRepo {
  root: string;
  cleanup(): void;
}

export async function createFixtureRepo(options: FixtureOptions = {}): Promise<FixtureRepo> {
  const root = mkdtempSync(join(tmpdir(), 'ffk-labs-fixture-'));
  mkdirSync(join(root, 'labs', '01-greetings'), { recursive: true });
  writeFileSync(join(root, 'labs', '01-greetings', 'lab.ts'), labSource(options));
  writeFileSync(join(root, 'greeting.txt'), 'bye world\n');
  writeFileSync(join(root, '.gitignore'), '.ffk/\n');
  await readmeCommand(root);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=fixture', '-c', 'user.email=fixture@example.com', ...args], { cwd: root, stdio: 'pipe' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'fixture');
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
