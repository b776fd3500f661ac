/**
 * Control characters in text taken from inputs (object names, interface names, addresses), for
 * every place that shows such text: the diagram renderers (an SVG with U+0001 in it is not XML,
 * a newline ends a Mermaid line) and the command line's terminal output (ANSI escape sequences,
 * bidi overrides). Each such character is written as a visible `\uXXXX` escape.
 */

/**
 * The characters escaped: C0 controls (U+0000-U+001F), DEL and C1 controls (U+007F-U+009F), the
 * line and paragraph separators (U+2028, U+2029), the bidirectional formatting characters
 * (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), the noncharacters U+FFFE and U+FFFF,
 * and unpaired surrogates (none of the last two is allowed in XML).
 */
export const CONTROL_CHARACTERS =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeOne(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Escapes every control character of the text (newlines and tabs included) as `\uXXXX`. */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, escapeOne);
}

/** Whether the text holds a character {@link escapeControlCharacters} would escape. */
export function hasControlCharacters(text: string): boolean {
  return text.search(CONTROL_CHARACTERS) >= 0;
}
