import { escapeControlCharacters, hasControlCharacters, terminalLines } from '../../lib/cli/terminal-text';

describe('terminal text', () => {
  test('escapeControlCharacters writes C0, DEL, C1, separators and bidi controls as \\uXXXX', () => {
    expect(escapeControlCharacters('a\u0000b\u001b[1mc\u007fd\u0085e\u2028f\u202eg\u2066h\t\n')).toBe(
      'a\\u0000b\\u001b[1mc\\u007fd\\u0085e\\u2028f\\u202eg\\u2066h\\u0009\\u000a');
  });

  test('printable text, including non-Latin letters and emoji, is left as it is', () => {
    const text = 'Pod ns/api-gateway: ünïcödé 名前 🚀 "quoted" \\ back';
    expect(escapeControlCharacters(text)).toBe(text);
    expect(hasControlCharacters(text)).toBe(false);
  });

  test('hasControlCharacters finds one, and gives the same answer twice (no regex state)', () => {
    expect(hasControlCharacters('x\u009by')).toBe(true);
    expect(hasControlCharacters('x\u009by')).toBe(true);
    expect(hasControlCharacters('xy')).toBe(false);
  });

  test('terminalLines keeps the line breaks and escapes a carriage return inside a line', () => {
    expect(terminalLines('a\rb\nc\n')).toBe('a\\u000db\nc\n');
  });
});
