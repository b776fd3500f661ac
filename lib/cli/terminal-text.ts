/**
 * Text from the inputs (object names, file names, values) printed on a terminal: every control
 * character is written as a `\uXXXX` escape, so an input can neither drive the terminal (ANSI
 * escape sequences), nor fake a report line (a newline), nor reorder what is shown (bidi
 * overrides). JSON output needs none of this: JSON.stringify escapes C0 characters itself.
 */

/**
 * The characters escaped: C0 controls (U+0000-U+001F), DEL and C1 controls (U+007F-U+009F), the
 * line and paragraph separators (U+2028, U+2029), and the bidirectional formatting characters
 * (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069).
 */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

function escapeOne(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Escapes every control character of the text (newlines and tabs included) as `\uXXXX`. */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, escapeOne);
}

/**
 * Escapes control characters in text made of lines: the line breaks between lines stay, any
 * other control character (a newline is a line break only between lines) is escaped. Use it on
 * whole report texts; use {@link escapeControlCharacters} on a single value.
 */
export function terminalLines(text: string): string {
  return text.split('\n').map(escapeControlCharacters).join('\n');
}

/** Whether the text holds a control character. */
export function hasControlCharacters(text: string): boolean {
  CONTROL_CHARACTERS.lastIndex = 0;
  const found = CONTROL_CHARACTERS.test(text);
  CONTROL_CHARACTERS.lastIndex = 0;
  return found;
}
