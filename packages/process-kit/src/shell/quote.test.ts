import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellQuote } from './quote';

describe('shellQuote', () => {
  it('gives sh back every word exactly, quotes, spaces, $ and backslashes included', () => {
    const words = ["it's", 'a b', '$HOME', '`id`', 'back\\slash', "''", ''];
    const printed = execFileSync('sh', ['-c', `printf '%s\\n' ${words.map(shellQuote).join(' ')}`], { encoding: 'utf8' });
    expect(printed.split('\n').slice(0, -1)).toEqual(words);
  });
});
