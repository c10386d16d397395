// A small markdown-to-terminal renderer over marked's lexer: headings, paragraphs wrapped to the
// terminal, lists, code blocks, quotes and inline styles. Small on purpose: it loads in
// milliseconds, where full renderers pull in a syntax highlighter.
import { Lexer, type Token, type Tokens } from 'marked';
import { style, terminalWidth, visibleLength } from './style';

export function renderMarkdown(markdown: string, width = terminalWidth()): string {
  const blocks = Lexer.lex(markdown)
    .map((token) => block(token, width))
    .filter((text) => text !== null);
  return blocks.join('\n\n');
}

function block(token: Token, width: number): string | null {
  switch (token.type) {
    case 'heading': {
      const text = inline((token as Tokens.Heading).tokens);
      return token.depth <= 2 ? style.bold(style.underline(text)) : style.bold(text);
    }
    case 'paragraph':
      return wrap(inline((token as Tokens.Paragraph).tokens), width);
    case 'code':
      return (token as Tokens.Code).text
        .split('\n')
        .map((line) => `    ${style.cyan(line)}`)
        .join('\n');
    case 'list':
      return list(token as Tokens.List, width);
    case 'blockquote': {
      const inner = (token as Tokens.Blockquote).tokens.map((t) => block(t, width - 2)).filter((t) => t !== null);
      return prefixLines(inner.join('\n\n'), style.dim('│ '));
    }
    case 'hr':
      return style.dim('─'.repeat(Math.min(width, 40)));
    case 'space':
    case 'html':
      return null;
    default:
      return 'tokens' in token && token.tokens ? wrap(inline(token.tokens), width) : wrap(token.raw.trim(), width);
  }
}

function list(token: Tokens.List, width: number): string {
  const start = typeof token.start === 'number' ? token.start : 1;
  return token.items
    .map((item, index) => {
      const bullet = token.ordered ? `${start + index}. ` : '• ';
      const body = item.tokens
        .map((t) => (t.type === 'text' && 'tokens' in t && t.tokens ? wrap(inline(t.tokens), width - bullet.length) : block(t, width - bullet.length)))
        .filter((t) => t !== null)
        .join('\n');
      return bullet + prefixLines(body, ' '.repeat(bullet.length)).slice(bullet.length);
    })
    .join('\n');
}

function inline(tokens: Token[] | undefined): string {
  if (!tokens) return '';
  return tokens
    .map((token) => {
      switch (token.type) {
        case 'strong':
          return style.bold(inline((token as Tokens.Strong).tokens));
        case 'em':
          return style.italic(inline((token as Tokens.Em).tokens));
        case 'codespan':
          return style.cyan((token as Tokens.Codespan).text);
        case 'link': {
          const link = token as Tokens.Link;
          const text = inline(link.tokens);
          return text === link.href ? style.underline(link.href) : `${text} (${style.underline(link.href)})`;
        }
        case 'br':
          return '\n';
        case 'del':
          return inline((token as Tokens.Del).tokens);
        case 'text':
          // A newline inside a paragraph is a soft break: the terminal width decides where lines end.
          return 'tokens' in token && token.tokens ? inline(token.tokens) : decode((token as Tokens.Text).text).replace(/\n/g, ' ');
        case 'escape':
          return (token as Tokens.Escape).text;
        default:
          return token.raw;
      }
    })
    .join('');
}

function decode(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Greedy word wrap that measures words without their ANSI escapes. */
function wrap(text: string, width: number): string {
  return text
    .split('\n')
    .map((paragraph) => {
      const lines: string[] = [];
      let line = '';
      for (const word of paragraph.split(/ +/)) {
        if (line && visibleLength(line) + 1 + visibleLength(word) > width) {
          lines.push(line);
          line = word;
        } else {
          line = line ? `${line} ${word}` : word;
        }
      }
      lines.push(line);
      return lines.join('\n');
    })
    .join('\n');
}

function prefixLines(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}
