// Tasks as `lab --ci`, verify and reset print them: one line per task in a log, a spinner line that
// log lines pass above on a terminal; a failure skips the rest, naming it.
import { describe, expect, it } from 'vitest';
import type { ActionTask } from '../model/types';
import { stripAnsi } from '../render/style';
import { ProgressStore } from '../state/progress';
import { fixtureLab } from '../testing/memory-lab';
import { printTaskProgress, runTasks } from './actions';
import { openSession } from './session';

// Patterns over raw terminal output: the escape character is spelled out once, here.
const ESC = '\u001b';
const COLOURS = new RegExp(String.raw`${ESC}\[[0-9;]*m`, 'g');
/** carriage return, then erase the line: how the spinner line is redrawn */
const REDRAW = String.raw`\r${ESC}\[K`;

const TASKS: ActionTask[] = [
  {
    title: 'Count the files',
    run: (ctx) => {
      ctx.log('git ls-files');
      return Promise.resolve('4 files');
    },
  },
  {
    title: 'Build the images',
    run: () => Promise.reject(new Error('no space left on device')),
  },
  { title: 'Load the images', run: () => Promise.resolve('loaded') },
];

async function printed(isTTY: boolean) {
  let text = '';
  const out = { write: (chunk: string) => void (text += chunk), isTTY };
  const session = openSession(fixtureLab(), { repoRoot: process.cwd(), store: new ProgressStore(null), mode: 'ci', offline: true, out });
  const outcomes = await runTasks(TASKS, session.ctx, session.sink, session.toolbox, printTaskProgress(out));
  // Colours off; the terminal's line controls (\r, erase line) kept.
  return { text: isTTY ? text.replace(COLOURS, '') : stripAnsi(text), outcomes };
}

describe('runTasks with printTaskProgress', () => {
  it('in a log: a line as each task starts, its log lines, its outcome; the tasks after a failure skipped', async () => {
    const { text, outcomes } = await printed(false);
    expect(text.replace(/\d+ ms/g, 'N ms')).toBe(
      [
        '… Count the files',
        '    git ls-files',
        '✔ Count the files N ms · 4 files',
        '… Build the images',
        '✖ Build the images N ms',
        '    no space left on device',
        '↷ Load the images skipped: after "Build the images" failed',
        '',
      ].join('\n'),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['done', 'failed', 'skipped']);
    expect(outcomes[0]).toMatchObject({ result: '4 files' });
  });

  it('on a terminal: the spinner line is cleared for each log line and redrawn below it, then replaced by the outcome', async () => {
    const { text } = await printed(true);
    const [first] = text.split('✔ Count the files');
    expect(first).toMatch(new RegExp(String.raw`^${REDRAW}⠋ Count the files \d+ ms(.*)${REDRAW} {4}git ls-files\n${REDRAW}. Count the files \d+ ms`, 's'));
    expect(text).toContain('\r\x1b[K✖ Build the images');
  });
});
