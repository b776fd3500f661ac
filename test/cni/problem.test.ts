import {
  Problem, ProblemSink, Severity, atPath, formatProblem, joinField, nestProblems, notBuiltProblem, renderValue, reportProblems, reportProblemsTo, throwIfErrors,
} from '../../lib/cni/problem';

function err(field: string, value: unknown = 1): Problem {
  return { field, message: 'is wrong', value, fix: 'fix it', severity: Severity.ERROR };
}

function warn(field: string): Problem {
  return { field, message: 'is odd', value: 'x', fix: 'look at it', severity: Severity.WARNING };
}

describe('renderValue', () => {
  test('strings are quoted, numbers and objects as JSON', () => {
    expect(renderValue('eth0')).toBe('"eth0"');
    expect(renderValue(1500)).toBe('1500');
    expect(renderValue({ a: [1, true] })).toBe('{"a":[1,true]}');
    expect(renderValue(null)).toBe('null');
  });

  test('undefined is "nothing", bigint its digits', () => {
    expect(renderValue(undefined)).toBe('nothing');
    expect(renderValue(12345678901234567890n)).toBe('12345678901234567890');
  });

  test('values that JSON cannot write fall back to String', () => {
    expect(renderValue(() => 1)).toBe('a function');
    expect(renderValue(NaN)).toBe('NaN');
    expect(renderValue(-Infinity)).toBe('-Infinity');
    expect(renderValue(Symbol('s'))).toBe('Symbol(s)');
    const cyclic: any = {}; cyclic.self = cyclic;
    expect(renderValue(cyclic)).toBe('[object Object]');
  });

  test('long values are cut at 200 characters', () => {
    const out = renderValue('x'.repeat(500));
    expect(out).toHaveLength(200);
    expect(out).toMatch(/^"x+\.\.\.$/);
    expect(renderValue('x'.repeat(198))).toBe(`"${'x'.repeat(198)}"`);
  });
});

describe('formatProblem', () => {
  test('renders the one error style', () => {
    expect(formatProblem({ field: 'mtu', message: 'must be an integer', value: '1500', fix: 'write a JSON number', severity: Severity.ERROR }))
      .toBe('\'mtu\' must be an integer: got "1500"; write a JSON number');
  });

  test('prefixes the path in brackets', () => {
    expect(formatProblem({ ...err('plugins[0].mtu'), path: 'App/Net' })).toBe("[App/Net] 'plugins[0].mtu' is wrong: got 1; fix it");
  });

  test('an undefined value reads "got nothing"', () => {
    expect(formatProblem({ ...err('name'), value: undefined })).toBe("'name' is wrong: got nothing; fix it");
  });
});

describe('field paths', () => {
  test('joinField uses dots, and no dot before an index', () => {
    expect(joinField('plugins', '[0]')).toBe('plugins[0]');
    expect(joinField('plugins[0]', 'ipam')).toBe('plugins[0].ipam');
    expect(joinField('', 'mtu')).toBe('mtu');
    expect(joinField('ipam', '')).toBe('ipam');
  });

  test('nestProblems prefixes every field and keeps the rest', () => {
    const nested = nestProblems('plugins[2]', [err('mtu'), err('[0]'), warn('')]);
    expect(nested.map((p) => p.field)).toEqual(['plugins[2].mtu', 'plugins[2][0]', 'plugins[2]']);
    expect(nested[2].severity).toBe(Severity.WARNING);
    expect(nestProblems('', [err('mtu')])).toEqual([err('mtu')]);
  });

  test('atPath sets the path only where none is set', () => {
    const out = atPath('A/B', [err('x'), { ...err('y'), path: 'C' }]);
    expect(out.map((p) => p.path)).toEqual(['A/B', 'C']);
  });
});

describe('ProblemSink', () => {
  test('records errors and warnings with their severity', () => {
    const sink = new ProblemSink();
    sink.warn('a', 'is odd', 1, 'check');
    expect(sink.hasErrors).toBe(false);
    sink.error('b', 'is wrong', 2, 'fix');
    expect(sink.hasErrors).toBe(true);
    expect(sink.problems).toEqual([
      { field: 'a', message: 'is odd', value: 1, fix: 'check', severity: Severity.WARNING },
      { field: 'b', message: 'is wrong', value: 2, fix: 'fix', severity: Severity.ERROR },
    ]);
  });

  test('children record into the same list under a longer prefix', () => {
    const sink = new ProblemSink('plugins');
    const child = sink.child('[1]').child('ipam');
    child.error('ranges[0][0].subnet', 'has host bits set', '10.1.0.5/24', 'use 10.1.0.0/24');
    sink.child('[0]').warn('', 'is odd', 0, 'x');
    expect(sink.problems.map((p) => p.field)).toEqual(['plugins[1].ipam.ranges[0][0].subnet', 'plugins[0]']);
    expect(child.problems).toHaveLength(2);
  });

  test('addAll places problems under the sink prefix and a given prefix', () => {
    const sink = new ProblemSink('plugins[0]');
    sink.addAll([err('subnet'), warn('[1]')], 'ipam');
    expect(sink.problems.map((p) => [p.field, p.severity])).toEqual([
      ['plugins[0].ipam.subnet', Severity.ERROR], ['plugins[0].ipam[1]', Severity.WARNING],
    ]);
  });

  test('problems is a copy', () => {
    const sink = new ProblemSink();
    sink.problems.push(err('x'));
    expect(sink.problems).toEqual([]);
  });
});

describe('throwIfErrors', () => {
  test('one error: one line with the context', () => {
    expect(() => throwIfErrors([err('mtu', '9000')], 'macvlan plugin')).toThrow(/^macvlan plugin: 'mtu' is wrong: got "9000"; fix it$/);
  });

  test('several errors: a count and one line each', () => {
    expect(() => throwIfErrors([err('a'), warn('w'), err('b')])).toThrow(/^2 problems:\n  'a' is wrong: got 1; fix it\n  'b' is wrong: got 1; fix it$/);
  });

  test('warnings alone are not thrown', () => {
    expect(() => throwIfErrors([warn('w')], 'ctx')).not.toThrow();
    expect(() => throwIfErrors([])).not.toThrow();
  });
});

describe('reportProblems, reportProblemsTo and notBuiltProblem', () => {
  test('reportProblems throws errors and ignores warnings, wherever it is called from', () => {
    expect(() => reportProblems([err('x')], 'ctx')).toThrow(/^ctx: 'x' is wrong/);
    expect(() => reportProblems([warn('w')])).not.toThrow();
    expect(() => reportProblems([err('a'), warn('w'), err('b')], 'ctx')).toThrow("ctx: 2 problems:\n  'a' is wrong: got 1; fix it\n  'b' is wrong: got 1; fix it");
  });

  test('reportProblemsTo records every problem (warnings too) in the sink under its prefix and throws nothing', () => {
    const sink = new ProblemSink('plugins[2]');
    expect(() => reportProblemsTo(sink, [err('a'), warn('w')], 'ctx')).not.toThrow();
    expect(sink.problems.map((p) => `${p.severity} ${p.field}`)).toEqual(['error plugins[2].a', 'warning plugins[2].w']);
  });

  test('reportProblemsTo without a sink throws as reportProblems does', () => {
    expect(() => reportProblemsTo(undefined, [err('a')], 'ctx')).toThrow(/^ctx: 'a' is wrong/);
    expect(() => reportProblemsTo(undefined, [warn('w')], 'ctx')).not.toThrow();
  });

  test('notBuiltProblem names the thrown message', () => {
    expect(formatProblem(notBuiltProblem(new TypeError('boom')))).toBe("'' could not be built: got \"boom\"; fix the fields above");
    expect(notBuiltProblem('text').value).toBe('text');
  });
});
