import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { toConfigList } from '../../lib/cli/dataplane/cni-exec';
import { VersionCache, cniVersionsProblem, effectiveCniVersion, parseLibcniVersion, withEffectiveVersion, failedStepText, formatVerbNotes, hostLocalReservations, statusFailureReason, verbSupport } from '../../lib/cli/verify/cni-verbs';

/**
 * When verify sends CNI 1.1's STATUS and GC, and how it words what they say: pure parts (the
 * plugin VERSION answers are given through the cache, so no binary runs here).
 */

const list = (o: object) => toConfigList({ name: 'n', plugins: [{ type: 'bridge', ipam: { type: 'host-local' } }], ...o });

describe('effectiveCniVersion: the version libcni runs a list at', () => {
  test.each([
    [{ cniVersion: '1.1.0' }, '1.1.0'],
    [{ cniVersion: '1.0.0' }, '1.0.0'],
    [{ cniVersion: '1.0.0', cniVersions: ['0.4.0', '1.1.0'] }, '1.1.0'],
    [{ cniVersions: ['1.0.0', '0.4.0'] }, '1.0.0'],
    // entries above what libcni implements are ignored; versions are read as libcni reads them
    [{ cniVersion: '1.0.0', cniVersions: ['1.1.0', '2.0.0'] }, '1.1.0'],
    [{ cniVersion: '0.4.0', cniVersions: ['1.0'] }, '1.0'],
    // a list libcni refuses keeps its own version (verify fails it before running anything)
    [{ cniVersion: '1.0.0', cniVersions: ['1.1.0', 'x'] }, '1.0.0'],
    [{ cniVersion: '1.0.0', cniVersions: ['9.0.0'] }, '1.0.0'],
    [{}, undefined],
  ])('%j → %s', (o, v) => expect(effectiveCniVersion(list(o))).toBe(v));
});

test('withEffectiveVersion: the list as libcni runs it (the same object when nothing changes)', () => {
  const l = list({ cniVersion: '1.0.0', cniVersions: ['1.1.0'] });
  expect(withEffectiveVersion(l)).toEqual({ ...l, cniVersion: '1.1.0' });
  const same = list({ cniVersion: '1.0.0' });
  expect(withEffectiveVersion(same)).toBe(same);
});

describe('verbSupport', () => {
  const cache = (answers: Record<string, readonly string[] | string>): VersionCache => new Map(Object.entries(answers));
  const v11 = ['0.4.0', '1.0.0', '1.1.0'];

  test('a 1.1.0 list whose every plugin (IPAM included) lists 1.1.0 can get them, at the effective version', () => {
    expect(verbSupport(list({ cniVersion: '1.1.0' }), ['/p'], cache({ bridge: v11, 'host-local': v11 }))).toEqual({ ok: true, list: list({ cniVersion: '1.1.0' }) });
    const viaList = verbSupport(list({ cniVersion: '1.0.0', cniVersions: ['1.1.0'] }), ['/p'], cache({ bridge: v11, 'host-local': v11 }));
    expect(viaList.ok && viaList.list.cniVersion).toBe('1.1.0');
    // versions read as libcni reads them: "1.1" is 1.1.0
    expect(verbSupport(list({ cniVersion: '1.1' }), ['/p'], cache({ bridge: v11, 'host-local': v11 })).ok).toBe(true);
    expect(verbSupport(list({ cniVersion: '1.0' }), ['/p'], cache({ bridge: v11, 'host-local': v11 })).ok).toBe(false);
  });

  test('below 1.1.0, or a plugin without 1.1.0, or a plugin that cannot answer: not sent, with why', () => {
    expect(verbSupport(list({ cniVersion: '1.0.0' }), ['/p'], cache({}))).toEqual({ ok: false, reason: 'cniVersion "1.0.0" has no STATUS or GC (CNI 1.1.0 added them)' });
    expect(verbSupport(list({}), ['/p'], cache({}))).toEqual({ ok: false, reason: 'cniVersion "0.1.0" has no STATUS or GC (CNI 1.1.0 added them)' });
    expect(verbSupport(list({ cniVersion: '1.1.0' }), ['/usr/lib/cni'], cache({ bridge: v11, 'host-local': ['0.1.0', '1.0.0', '0.4.0'] })))
      .toEqual({ ok: false, reason: 'plugin "host-local" in /usr/lib/cni supports CNI up to 1.0.0, not 1.1.0 (its VERSION answer)' });
    expect(verbSupport(list({ cniVersion: '1.1.0' }), ['/p'], cache({ bridge: 'plugin binary "bridge" is not in /p' })))
      .toEqual({ ok: false, reason: 'plugin binary "bridge" is not in /p' });
  });

  test('a plugin binary that is not there is asked once and remembered', () => {
    const c: VersionCache = new Map();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verbs-'));
    try {
      expect(verbSupport(list({ cniVersion: '1.1.0' }), [dir], c)).toEqual({ ok: false, reason: `plugin binary "bridge" is not in ${dir}` });
      expect([...c.entries()]).toEqual([['bridge', `plugin binary "bridge" is not in ${dir}`]]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('wording', () => {
  const status = { command: 'STATUS' as const, ok: false, steps: [], failedIndex: 1 };
  test('a failed STATUS: the plugin, its index, its error code, message and details; ADD not run', () => {
    const failed = { kind: 'error' as const, plugin: 'bridge', command: 'STATUS' as const, error: { code: 50, msg: 'not available', details: 'no uplink' }, exitStatus: 1, stdin: {}, stderr: '' };
    expect(failedStepText({ ...status, failed })).toBe('STATUS bridge (plugins[1]): error 50: not available (no uplink)');
    expect(statusFailureReason({ ...status, failed })).toBe('STATUS bridge (plugins[1]): error 50: not available (no uplink); ADD not run (the plugin says it is not ready)');
    expect(failedStepText({ ...status, command: 'GC', failed: { kind: 'missing-plugin', plugin: 'x', command: 'GC', searchPath: ['/a', '/b'] } }))
      .toBe('GC x (plugins[1]): plugin binary "x" is not in /a:/b');
  });

  test('notes are grouped: both verbs of a network with one outcome together, then networks with the same words', () => {
    expect(formatVerbNotes([
      { verb: 'STATUS', network: 'NAD a', sent: false, detail: 'old' },
      { verb: 'STATUS', network: 'NAD b', sent: true, detail: 'ready' },
      { verb: 'STATUS', network: 'NAD c', sent: false, detail: 'old' },
      { verb: 'GC', network: 'NAD a', sent: false, detail: 'old' },
      { verb: 'GC', network: 'NAD b', sent: true, detail: 'released 1 leaked state file(s)' },
      { verb: 'GC', network: 'NAD c', sent: false, detail: 'old' },
    ])).toEqual([
      'STATUS and GC not sent to 2 networks (old): NAD a, NAD c',
      'STATUS sent to 1 network (ready): NAD b',
      'GC sent to 1 network (released 1 leaked state file(s)): NAD b',
    ]);
    expect(formatVerbNotes([])).toEqual([]);
  });
});

describe('hostLocalReservations', () => {
  test('the address files of a network with the container they name, bookkeeping left out; a name with a path gives none', () => {
    const node = fs.mkdtempSync(path.join(os.tmpdir(), 'verbs-node-'));
    try {
      const dir = path.join(node, 'host-local', 'n4');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, '10.4.0.3'), 'nfv00ab-pod1\r\nnet1');
      fs.writeFileSync(path.join(dir, 'fd00::2'), 'nfv00ab-pod2\r\nnet2');
      fs.writeFileSync(path.join(dir, 'lock'), '');
      fs.writeFileSync(path.join(dir, 'last_reserved_ip.0'), '10.4.0.3');
      expect(hostLocalReservations(node, 'n4')).toEqual([
        { file: 'host-local/n4/10.4.0.3', containerId: 'nfv00ab-pod1' },
        { file: 'host-local/n4/fd00::2', containerId: 'nfv00ab-pod2' },
      ]);
      expect(hostLocalReservations(node, 'other')).toEqual([]);
      expect(hostLocalReservations(path.join(node, 'host-local', 'n4', 'x'), '../../n4')).toEqual([]);
    } finally {
      fs.rmSync(node, { recursive: true, force: true });
    }
  });
});

describe('libcni\'s reading of versions and cniVersions (containernetworking/cni v1.3 ParseVersion, ConfListFromBytes)', () => {
  test.each([
    ['', [0, 1, 0]], ['1', [1, 0, 0]], ['1.0', [1, 0, 0]], ['1.1.0', [1, 1, 0]], ['+1.0.0', [1, 0, 0]],
    ['1.0.0.0', 'invalid version "1.0.0.0": too many parts'], ['x', 'failed to convert major version part "x"'],
    ['1.x', 'failed to convert minor version part "x"'], ['1.0.', 'failed to convert micro version part ""'],
  ])('%j', (v, want) => expect(parseLibcniVersion(v)).toEqual(want));

  test('the whole list is refused for one entry that is no version, not a string, or a list that is not one', () => {
    expect(cniVersionsProblem(list({ cniVersions: ['1.0.0', '1.1.0'] }))).toBeUndefined();
    expect(cniVersionsProblem(list({}))).toBeUndefined();
    expect(cniVersionsProblem(list({ cniVersions: ['1.0.0', 'x'] }))).toBe('error parsing configuration list: invalid cniVersions entry "x" at index 1: failed to convert major version part "x"');
    expect(cniVersionsProblem(list({ cniVersions: [1] }))).toBe('error parsing configuration list: invalid type for cniVersions index 0');
    expect(cniVersionsProblem(list({ cniVersions: '1.0.0' }))).toBe('error parsing configuration list: invalid type for cniVersions (not a list)');
    expect(cniVersionsProblem(list({ cniVersion: 'v1', cniVersions: ['1.0.0'] }))).toBe('error parsing configuration list: invalid cniVersion "v1": failed to convert major version part "v1"');
  });
});
