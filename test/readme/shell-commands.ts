/** A shell command shown in a Markdown text. */
export interface ShownCommand {
  /** The 1-based line it is on. */
  readonly line: number;
  /** The command, comments and `$ ` prompts removed, spaces collapsed; `a && b` gives two. */
  readonly command: string;
  /** A fenced block (```sh, ```bash, ```shell, ```console) or a code span in the text. */
  readonly from: 'block' | 'inline';
}

/** The programs a code span must start with to be an instruction (after `VAR=value` prefixes). */
export const COMMAND_WORDS: readonly string[] = ['npm', 'npx', 'node', 'sudo', 'apt-get', 'pulumi', 'cdk8s-nfv', 'cdk8s', 'git', 'go', 'kubectl', 'helm', 'jest', 'tsc'];

const SHELL_BLOCKS = ['sh', 'bash', 'shell', 'console'];
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=\S*$/;

function normalized(command: string): string {
  return command.replace(/\s+#.*$/, '').replace(/\s+/g, ' ').trim();
}

function split(command: string): string[] {
  return command.split('&&').map(normalized).filter((c) => c !== '');
}

/** Whether a code span reads as a command: a known program after any assignments, and an argument. */
export function isInlineCommand(span: string): boolean {
  const words = span.trim().split(/\s+/);
  let i = 0;
  while (i < words.length && ASSIGNMENT.test(words[i])) i++;
  return i < words.length && COMMAND_WORDS.includes(words[i]) && words.length - i >= 2;
}

/**
 * Every shell command a Markdown text shows: each line of a ```sh/```bash/```shell block (a
 * trailing `\` joins lines), the `$ ` lines of a ```console block, and each code span in the text
 * that reads as a command ({@link isInlineCommand}). Blocks of other languages and plain ``` blocks
 * (output, messages) are not commands.
 */
export function shellCommands(markdown: string): ShownCommand[] {
  const out: ShownCommand[] = [];
  const lines = markdown.split('\n');
  // the text outside fenced blocks, blocks blanked line for line, for the code spans (which may wrap)
  const prose = [...lines];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^\s*```(\S*)\s*$/.exec(lines[i]);
    if (fence) {
      const lang = fence[1];
      let j = i + 1;
      let pending = '';
      let pendingLine = 0;
      prose[i] = '';
      for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]); j++) {
        prose[j] = '';
        if (!SHELL_BLOCKS.includes(lang)) continue;
        let text = lines[j];
        if (lang === 'console') {
          if (!text.startsWith('$ ')) continue;
          text = text.slice(2);
        }
        if (pending === '') pendingLine = j + 1;
        if (/\\\s*$/.test(text)) {
          pending += `${text.replace(/\\\s*$/, '')} `;
          continue;
        }
        const whole = pending + text;
        pending = '';
        if (/^\s*(#.*)?$/.test(whole)) continue;
        for (const command of split(whole)) out.push({ line: pendingLine, command, from: 'block' });
      }
      if (j < lines.length) prose[j] = '';
      i = j;
    }
  }
  const text = prose.join('\n');
  for (const m of text.matchAll(/`([^`]+)`/g)) {
    const span = m[1].replace(/\s+/g, ' ');
    if (!isInlineCommand(span)) continue;
    const line = text.slice(0, m.index).split('\n').length;
    for (const command of split(span)) out.push({ line, command, from: 'inline' });
  }
  return out.sort((a, b) => a.line - b.line);
}
