import { escapeControlCharacters } from '../diagram/text';

/**
 * Text from the inputs (object names, file names, values) printed on a terminal: every control
 * character is written as a `\uXXXX` escape, so an input can neither drive the terminal (ANSI
 * escape sequences), nor fake a report line (a newline), nor reorder what is shown (bidi
 * overrides). The escaper itself lives with the diagram renderers, which need it too. JSON
 * output needs none of this: JSON.stringify escapes C0 characters itself.
 */
export { CONTROL_CHARACTERS, escapeControlCharacters, hasControlCharacters } from '../diagram/text';

/**
 * Escapes control characters in text made of lines: the line breaks between lines stay, any
 * other control character is escaped. Use it on whole report texts (every line the command
 * prints); use {@link escapeControlCharacters} on a single value.
 */
export function terminalLines(text: string): string {
  return text.split('\n').map(escapeControlCharacters).join('\n');
}
