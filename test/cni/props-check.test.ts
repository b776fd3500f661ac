import { formatProblem, ProblemSink } from '../../lib/cni/problem';
import {
  assertArg, assertOptionsObject, assertProps, checkProps, extendShape, isPlainObject, omitShape, pArray, pBool, pEither, pEnum, pInstance,
  pInt, pJsonObject, pNumber, pObject, pRecord, pString, propsShape,
} from '../../lib/cni/props-check';

const INNER = propsShape('InnerProps', { port: pInt({ min: 1, max: 65535 }) });
const SHAPE = propsShape('ThingProps', {
  name: { type: pString(), required: 'name the thing' },
  count: pInt({ min: 0, max: 10 }),
  ratio: pNumber({ min: 0, max: 1 }),
  on: pBool(),
  mode: pEnum(['fast', 'slow'], 'Mode'),
  tags: pArray(pString()),
  labels: pRecord(pString({ allowEmpty: true })),
  inner: pObject(INNER),
  extra: pJsonObject(),
}, { colour: 'things have no colour: remove it' });

function lines(value: unknown, shape = SHAPE): string[] {
  const sink = new ProblemSink();
  checkProps(shape, value, '', sink);
  return sink.problems.map(formatProblem);
}

describe('checkProps', () => {
  test('a valid object has no problems; undefined values count as absent', () => {
    expect(lines({ name: 'a', count: 3, ratio: 0.5, on: true, mode: 'fast', tags: ['x'], labels: { a: '' }, inner: { port: 80 }, extra: { any: [1] }, on2: undefined })).toEqual([
      "'on2' is not a prop of ThingProps: got nothing; remove it; the props of ThingProps are 'name', 'count', 'ratio', 'on', 'mode', 'tags', 'labels', 'inner', 'extra'",
    ]);
    expect(lines({ name: 'a', count: undefined })).toEqual([]);
  });

  test('an object without prototype is a plain object; a class instance is not', () => {
    const bare = Object.assign(Object.create(null), { name: 'a' });
    expect(isPlainObject(bare)).toBe(true);
    expect(lines(bare)).toEqual([]);
    expect(lines(new (class { public name = 'a'; })())).toEqual([
      "'props' must be a plain object of ThingProps (its prototype is not Object.prototype): got {\"name\":\"a\"}; pass an object literal { ... }: keys of a prototype or a class instance are not read",
    ]);
  });

  test('required props: missing, or given as undefined', () => {
    expect(lines({})).toEqual(["'name' is required: got nothing; name the thing"]);
    expect(lines({ name: undefined })).toEqual(["'name' is required: got nothing; name the thing"]);
  });

  test('unknown keys: a hint, a near spelling, or the list of props', () => {
    expect(lines({ name: 'a', colour: 'red', Count: 1 })).toEqual([
      "'colour' is not a prop of ThingProps: got \"red\"; things have no colour: remove it",
      "'Count' is not a prop of ThingProps: got 1; write it as 'count' (props are case-sensitive)",
    ]);
  });

  test('numbers: type, finiteness, whole numbers, range', () => {
    expect(lines({ name: 'a', count: '1' })).toEqual(["'count' must be an integer from 0 to 10: got \"1\"; write a number, not a string"]);
    expect(lines({ name: 'a', count: NaN })).toEqual(["'count' must be an integer from 0 to 10: got NaN; write a finite number, not NaN"]);
    expect(lines({ name: 'a', count: -Infinity })).toEqual(["'count' must be an integer from 0 to 10: got -Infinity; write a finite number, not -Infinity"]);
    expect(lines({ name: 'a', count: 2.5 })).toEqual(["'count' must be an integer from 0 to 10: got 2.5; write a whole number"]);
    expect(lines({ name: 'a', count: 11 })).toEqual(["'count' is out of range: must be an integer from 0 to 10: got 11; write a value from 0 to 10"]);
    expect(lines({ name: 'a', ratio: 1.5 })).toEqual(["'ratio' is out of range: must be a finite number from 0 to 1: got 1.5; write a value from 0 to 1"]);
  });

  test('lists: a string is not a list; items and holes are checked with their index', () => {
    expect(lines({ name: 'a', tags: 'x' })).toEqual(["'tags' must be a list, each item a non-empty string: got \"x\"; write a list such as [\"x\"], not a string (a string is not a list)"]);
    expect(lines({ name: 'a', tags: ['x', , 3] })).toEqual([
      "'tags[1]' is missing (a hole or undefined in the list): got nothing; write a non-empty string, or remove the entry",
      "'tags[2]' must be a non-empty string: got 3; write a non-empty string, not a number",
    ]);
  });

  test('nested objects and maps report the path', () => {
    expect(lines({ name: 'a', inner: { port: 0, host: 'h' }, labels: { a: 1 } })).toEqual([
      // in the order of the given keys
      "'inner.port' is out of range: must be an integer from 1 to 65535: got 0; write a value from 1 to 65535",
      "'inner.host' is not a prop of InnerProps: got \"h\"; remove it; the props of InnerProps are 'port'",
      "'labels.a' must be a string: got 1; write a string, not a number",
    ]);
  });

  test('enums: exact values; long enums are named with an example', () => {
    expect(lines({ name: 'a', mode: 'FAST' })).toEqual(["'mode' must be one of \"fast\", \"slow\": got \"FAST\"; use a value of Mode: one of \"fast\", \"slow\""]);
    const big = pEnum(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'], 'Letter');
    const sink = new ProblemSink();
    big.check('z', 'letter', sink);
    expect(sink.problems.map(formatProblem)).toEqual(["'letter' must be a value of Letter: got \"z\"; use a value of Letter such as \"a\""]);
  });

  test('a value inherited from a polluted Object.prototype is refused', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.count = 5;
    try {
      expect(lines({ name: 'a' })).toEqual(["'count' is inherited from the prototype, not an own property: got 5; give 'count' on the props object itself, or remove it from the prototype"]);
    } finally {
      delete proto.count;
    }
  });
});

describe('shapes built from shapes', () => {
  test('extendShape adds props and keeps required ones and hints; omitShape removes props', () => {
    const more = extendShape(SHAPE, 'MoreProps', { size: pInt() });
    expect(lines({ size: 1 }, more)).toEqual(["'name' is required: got nothing; name the thing"]);
    expect(lines({ name: 'a', colour: 1 }, more)).toEqual(["'colour' is not a prop of MoreProps: got 1; things have no colour: remove it"]);
    const less = omitShape(SHAPE, 'LessProps', ['count']);
    expect(lines({ name: 'a', count: 1 }, less)[0]).toMatch(/^'count' is not a prop of LessProps: got 1; remove it; the props of LessProps are 'name', 'ratio'/);
  });
});

describe('assertions', () => {
  test('assertProps throws one error with every problem, prefixed with the context', () => {
    expect(() => assertProps(SHAPE, { count: -1 }, 'Thing x')).toThrow(
      "Thing x: 2 problems:\n  'count' is out of range: must be an integer from 0 to 10: got -1; write a value from 0 to 10\n  'name' is required: got nothing; name the thing",
    );
    expect(() => assertProps(SHAPE, { name: 'ok' }, 'Thing x')).not.toThrow();
  });

  test('assertArg checks one argument; undefined is fine unless required', () => {
    expect(() => assertArg(pString(), 5, 'key', 'f')).toThrow("f: 'key' must be a non-empty string: got 5; write a non-empty string, not a number");
    expect(() => assertArg(pString(), undefined, 'key', 'f')).not.toThrow();
    expect(() => assertArg(pString(), undefined, 'key', 'f', 'give the key')).toThrow("f: 'key' is required: got nothing; give the key");
  });

  test('assertOptionsObject refuses strings and lists', () => {
    expect(() => assertOptionsObject('x', 'opts', 'f')).toThrow("f: 'opts' must be an object literal { ... }: got \"x\"; pass the options as an object, not a string");
    expect(() => assertOptionsObject([], 'opts', 'f')).toThrow("f: 'opts' must be an object literal { ... }: got []; pass the options as { key: value }");
    expect(() => assertOptionsObject({}, 'opts', 'f')).not.toThrow();
  });

  test('pInstance and pEither', () => {
    class A {}
    const sink = new ProblemSink();
    pInstance([A], 'an A', 'build an A').check({}, 'a', sink);
    pInstance([A], 'an A', 'build an A').check(new A(), 'a', sink);
    const either = pEither('true or a list', 'write true or a list', [(v) => typeof v === 'boolean', Array.isArray], [undefined, pArray(pString())]);
    either.check('x', 'e', sink);
    either.check([1], 'e', sink);
    either.check(true, 'e', sink);
    expect(sink.problems.map(formatProblem)).toEqual([
      "'a' must be an A: got {}; build an A",
      "'e' must be true or a list: got \"x\"; write true or a list",
      "'e[0]' must be a non-empty string: got 1; write a non-empty string, not a number",
    ]);
  });
});
