// A real terminal without tmux: util-linux's `script` (in every Debian, minbase included) gives the
// program a pseudo-terminal, and @xterm/headless renders what it draws into a screen of text.
import { type ChildProcess } from 'node:child_process';
import { shellQuote, spawnWithLifeline } from '@ffk/process-kit';
import xterm from '@xterm/headless';
import { defined } from '../defined';

/** Plain functions (no `this`): a test may destructure them. */
export interface StartedTerminal {
  /** The screen as text, one line per row, trailing blanks trimmed. */
  screen: () => string;
  /** Types into the terminal, as a user at the keyboard does. */
  type: (keys: string) => void;
  /** Resolves with the screen once `predicate` holds; rejects with the screen after `timeoutMs`. */
  waitForScreen: (predicate: (screen: string) => boolean, what: string, timeoutMs?: number) => Promise<string>;
  /** Ends the program and its terminal. For afterAll. */
  stop: () => Promise<void>;
}

/** Runs `command args…` in a terminal of `cols` × `rows`, on the test process's lifeline. */
export function startTerminal(
  command: string,
  args: string[],
  options: { cols?: number; rows?: number; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): StartedTerminal {
  const { cols = 120, rows = 40 } = options;
  const terminal = new xterm.Terminal({ cols, rows, allowProposedApi: true });
  // script's pty starts at 0 × 0 when its own input is not a terminal: size it first.
  const shellLine = `stty cols ${cols} rows ${rows}; exec ${[command, ...args].map(shellQuote).join(' ')}`;
  const child: ChildProcess = spawnWithLifeline('script', ['-qfec', shellLine, '/dev/null'], {
    cwd: options.cwd,
    env: { ...(options.env ?? process.env), TERM: 'xterm-256color' },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
    onLost: 'SIGTERM',
  });
  let failure = '';
  child.on('error', (error) => (failure = `could not start script (util-linux): ${error.message}`));
  const stdin = defined(child.stdin, 'the stdin pipe of script');
  defined(child.stdout, 'the stdout pipe of script').on('data', (chunk: Buffer) => terminal.write(chunk));
  defined(child.stderr, 'the stderr pipe of script')
    .setEncoding('utf8')
    .on('data', (text: string) => (failure += text));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const screen = () => {
    const buffer = terminal.buffer.active;
    const lines: string[] = [];
    for (let row = 0; row < terminal.rows; row++) lines.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
    return lines.join('\n');
  };

  return {
    screen,
    type: (keys) => void stdin.write(keys),
    async waitForScreen(predicate, what, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        // An empty write resolves once everything received so far is parsed.
        await new Promise<void>((resolve) => terminal.write('', resolve));
        const text = screen();
        if (predicate(text)) return text;
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${what}; the screen shows:\n${text}${failure ? `\n(script said: ${failure.trim()})` : ''}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-defined(child.pid, 'the pid of script'), 'SIGTERM');
        } catch {
          // already gone
        }
        const force = setTimeout(() => child.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(force);
      }
      terminal.dispose();
    },
  };
}
