import { escapeControlCharacters, hasControlCharacters } from '../../lib/diagram/text';

describe('control characters in diagram text', () => {
  test('unpaired surrogates and the noncharacters U+FFFE, U+FFFF are escaped (XML forbids them)', () => {
    expect(escapeControlCharacters('a\ud800b\udc00c\ufffed\uffff')).toBe('a\\ud800b\\udc00c\\ufffed\\uffff');
  });

  test('a surrogate pair (an emoji) is kept whole', () => {
    expect(escapeControlCharacters('net 🚀')).toBe('net 🚀');
    expect(hasControlCharacters('net 🚀')).toBe(false);
  });

  test('U+0001 is escaped', () => {
    expect(escapeControlCharacters('p\u0001')).toBe('p\\u0001');
    expect(hasControlCharacters('p\u0001')).toBe(true);
  });
});
