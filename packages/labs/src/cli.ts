// Entry behind the root scripts: `tsx packages/labs/src/cli.ts lab <N> [--ci] [--offline]`,
// `labs`, `reset <N>`, `doctor [--json]`, `verify [N...]`, `readme`. `--repo <dir>` points it at
// another checkout (the tests use fixture repositories).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from './errors';

const USAGE = 'usage: cli.ts lab <N> [--ci] [--offline] | labs | reset <N> | doctor [--json] | verify [N...] | readme   (options: --repo <dir>)';

interface Args {
  command: string | undefined;
  positional: string[];
  flags: Set<string>;
  repo: string;
}

function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags = new Set<string>();
  let repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--repo') {
      const value = argv[++i];
      if (!value) throw new UserError('--repo needs a directory');
      repo = resolve(value);
    } else if (arg.startsWith('--')) {
      if (!['--ci', '--offline', '--json'].includes(arg)) throw new UserError(`unknown option ${arg}; ${USAGE}`);
      flags.add(arg.slice(2));
    } else positional.push(arg);
  }
  return { command: positional.shift(), positional, flags, repo };
}

/** CI mode: no TTY to prompt on, CI set (by any CI service), or asked for. */
function batchMode(flags: Set<string>): boolean {
  const ci = process.env.CI;
  return flags.has('ci') || (Boolean(ci) && ci !== 'false' && ci !== '0') || !process.stdin.isTTY || !process.stdout.isTTY;
}

const out = { write: (text: string) => void process.stdout.write(text), isTTY: Boolean(process.stdout.isTTY) };

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const offline = args.flags.has('offline');
  const { parseLabNumber } = await import('./model/discover');
  switch (args.command) {
    case 'lab': {
      const number = parseLabNumber(args.positional[0]);
      if (batchMode(args.flags)) {
        const { ciCommand } = await import('./commands/verify');
        return (await ciCommand(args.repo, number, out, offline)) ? 0 : 1;
      }
      const [{ findLab, loadLab }, { runInteractive }] = await Promise.all([import('./model/discover'), import('./run/interactive')]);
      return runInteractive(await loadLab(findLab(args.repo, number)), { repoRoot: args.repo, offline });
    }
    case 'labs': {
      const { listCommand } = await import('./commands/list');
      out.write(`${await listCommand(args.repo)}\n`);
      return 0;
    }
    case 'reset': {
      const { resetCommand } = await import('./commands/reset');
      return (await resetCommand(args.repo, parseLabNumber(args.positional[0]), out, offline)) ? 0 : 1;
    }
    case 'verify': {
      const { verifyCommand } = await import('./commands/verify');
      return (await verifyCommand(args.repo, out, offline, args.positional.map(parseLabNumber))) ? 0 : 1;
    }
    case 'readme': {
      const { readmeCommand } = await import('./commands/readme');
      const written = await readmeCommand(args.repo);
      out.write(written.length ? `Wrote ${written.join(', ')}\n` : 'Every lab README.md is up to date.\n');
      return 0;
    }
    case 'doctor': {
      const [{ runDoctor }, { renderDoctor }, { createShell }] = await Promise.all([
        import('./doctor/doctor'),
        import('./doctor/render'),
        import('./shell/shell'),
      ]);
      const report = await runDoctor({ $: createShell(args.repo), repoRoot: args.repo });
      out.write(args.flags.has('json') ? `${JSON.stringify(report, null, 2)}\n` : `${renderDoctor(report)}\n`);
      return report.ok ? 0 : 1;
    }
    default:
      throw new UserError(args.command ? `unknown command "${args.command}"; ${USAGE}` : USAGE);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UserError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  },
);
