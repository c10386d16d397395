import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';
import { stripAnsi } from './style';

describe('renderMarkdown', () => {
  it('renders headings, lists, inline code and code blocks as readable terminal text', () => {
    const text = stripAnsi(
      renderMarkdown(
        '## The slow loop\n\nChange `banner.ts`, then **rebuild**.\n\n1. build\n2. load\n\n```sh\nkind load docker-image catalog:dev\n```\n\n> outer loop',
        80,
      ),
    );
    expect(text).toBe('The slow loop\n\nChange banner.ts, then rebuild.\n\n1. build\n2. load\n\n    kind load docker-image catalog:dev\n\n│ outer loop');
  });

  it('wraps paragraphs at the width and keeps link targets visible', () => {
    const text = stripAnsi(renderMarkdown('one two three four five six seven eight nine ten [docs](https://kind.sigs.k8s.io/)', 20));
    // Every line fits, except a single word longer than the width, which gets a line of its own.
    expect(text.split('\n').filter((line) => line.length > 20)).toEqual(['(https://kind.sigs.k8s.io/)']);
    expect(text.split('\n')[0]).toBe('one two three four');
    expect(text.replace(/\n/g, ' ')).toContain('docs (https://kind.sigs.k8s.io/)');
  });

  it('joins soft line breaks and re-wraps at the terminal width', () => {
    expect(stripAnsi(renderMarkdown('a cluster\nnamed `ffk`\nwith kind.\n\n- one\n  item', 80))).toBe('a cluster named ffk with kind.\n\n• one item');
  });

  it('decodes entities that the lexer escapes', () => {
    expect(stripAnsi(renderMarkdown('the "served by" badge & <pod>', 80))).toBe('the "served by" badge & <pod>');
  });
});
