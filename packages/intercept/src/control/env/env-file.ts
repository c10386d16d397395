// Writing the imported env for other tools, in the dotenv syntax Node's --env-file and the
// dotenv package read. Those parsers do not unescape, so a value is wrapped in a quote character
// it does not contain (single quotes keep everything literally, newlines included).
export function formatEnvFile(env: Record<string, string>, header?: string): string {
  const lines = Object.entries(env).map(([name, value]) => `${name}=${quote(name, value)}`);
  return `${header ? `# ${header}\n` : ''}${lines.join('\n')}\n`;
}

function quote(name: string, value: string): string {
  if (/^[\w@%+=:,./-]*$/.test(value)) return value;
  const mark = ["'", '`', '"'].find((q) => !value.includes(q) && (q !== '"' || !value.includes('\\n')));
  if (!mark) throw new Error(`${name} holds every quote character; dotenv files cannot carry it: use \`-- <command>\` instead of --env-file`);
  return `${mark}${value}${mark}`;
}
