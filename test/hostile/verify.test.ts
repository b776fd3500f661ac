import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listNetns, runCommand } from '../../lib/cli/dataplane';
import { CheckKind, CheckResult, VerifyReport, verifyObjects } from '../../lib/cli/verify';
import { hostileVerifyCases } from './verify-cases';
import { dataplaneTest, printSkipSummary } from '../cli/dataplane/gate';

/**
 * verify against hostile input, as root with the real plugins: one run on two emulated nodes
 * holds every hostile object below next to a good pair of pods. Each hostile object must end as
 * its own exact row (FAILED or unsupported here, naming the object and field), the good pair
 * must still pass, no injected command may run (a canary file it would create never appears),
 * nothing may be written outside the run (dataDir payloads point at a directory of this test,
 * which stays empty), and nothing of the run may be left (namespaces, state, marker).
 */

printSkipSummary('test/hostile/verify.test.ts');

const NEEDS = { plugins: ['bridge', 'macvlan', 'host-local', 'static', 'tuning', 'host-device'] };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-verify-'));
const CANARY_DIR = path.join(tmp, 'canary');
const CANARY = path.join(CANARY_DIR, 'pwned');
const OWNED = path.join(tmp, 'owned-data-dir');
const RUN_DIR = path.join(tmp, 'runs');
fs.mkdirSync(CANARY_DIR);
fs.mkdirSync(OWNED);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const { cases, good: GOOD } = hostileVerifyCases(CANARY, OWNED);

function rootLinks(): string[] {
  return runCommand('ip', ['-o', 'link', 'show']).stdout.split('\n').map((l) => l.split(':')[1]?.trim()).filter(Boolean).sort();
}

describe('verify on hostile input (one run, two nodes)', () => {
  let report: VerifyReport | undefined;
  let error: unknown;
  let linksBefore: string[] = [];
  let netnsBefore: string[] = [];
  let progress = '';

  beforeAll(async () => {
    linksBefore = rootLinks();
    netnsBefore = listNetns();
    const objects = [...GOOD, ...cases.flatMap((c) => c.docs)].map((object, index) => ({ file: 'hostile.yaml', index, object }));
    try {
      report = await verifyObjects(objects, { nodes: 2, runDir: RUN_DIR, probeUnselected: false, progress: (l) => { progress += `${l}\n`; } });
    } catch (e) {
      error = e;
    }
  }, 300000);

  test('has at least 70 hostile cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(70);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  dataplaneTest('the run finishes (no exception) and the good pair still reaches', NEEDS, () => {
    expect(error).toBeUndefined();
    expect(report!.checks).toContainEqual({ check: CheckKind.REACH, from: 'lab/good-a:g0 10.88.0.1/24', to: 'lab/good-b:g0 10.88.0.2/24', network: 'hgood', result: CheckResult.PASSED });
    expect(report!.checks.filter((c) => c.check === CheckKind.ATTACH && c.network === 'hgood' && /good-/.test(c.from)).map((c) => c.result)).toEqual([CheckResult.PASSED, CheckResult.PASSED]);
  });

  describe.each(cases.map((c) => [c.name, c]))('%s', (_, c) => {
    dataplaneTest('ends as its own exact row', NEEDS, () => {
      expect(error).toBeUndefined();
      const rows = report!.checks.filter((r) => r.check === c.expected.check && r.from === c.expected.from && r.network === c.expected.network && r.result === c.expected.result);
      expect(rows).toHaveLength(1);
      const { reason, ...rest } = c.expected;
      expect(rows[0]).toMatchObject(rest);
      if (typeof reason === 'string') expect(rows[0].reason).toBe(reason);
      else expect(rows[0].reason).toMatch(reason);
    });
  });

  dataplaneTest('no injected command ran: the canary never appears', NEEDS, () => {
    expect(error).toBeUndefined();
    expect(fs.existsSync(CANARY)).toBe(false);
    expect(fs.readdirSync(CANARY_DIR)).toEqual([]);
    expect(listNetns().filter((n) => n === 'x' || n === 'y')).toEqual([]);
  });

  dataplaneTest('nothing was written outside the run: the dataDir payloads\' directory stays empty, /var/lib/cni untouched', NEEDS, () => {
    expect(fs.readdirSync(OWNED)).toEqual([]);
    expect(fs.existsSync('/var/lib/cni/networks/h0')).toBe(false);
    for (const c of cases.filter((x) => x.name.startsWith('state moved'))) {
      expect(fs.existsSync(path.join('/var/lib/cni/networks', c.expected.network))).toBe(false);
    }
  });

  dataplaneTest('nothing of the run is left: namespaces, links in the root namespace, state directory, marker', NEEDS, () => {
    expect(report!.leftovers).toEqual([]);
    expect(listNetns().filter((n) => n.startsWith(`${report!.prefix}-`))).toEqual([]);
    expect(listNetns().filter((n) => !netnsBefore.includes(n) && n.startsWith(report!.prefix))).toEqual([]);
    expect(rootLinks()).toEqual(linksBefore);
    expect(fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith(report!.prefix))).toEqual([]);
    expect(fs.readdirSync(RUN_DIR)).toEqual([]);
    expect(progress).toMatch(/teardown: nothing left behind/);
  });

  dataplaneTest('counts add up: every hostile case failed or is unsupported, except the state cases that pass', NEEDS, () => {
    const expectedFailed = cases.filter((c) => c.expected.result === CheckResult.FAILED).length;
    const unexpected = report!.checks.filter((r) => r.result === CheckResult.FAILED
      && !cases.some((c) => c.expected.check === r.check && c.expected.from === r.from && c.expected.network === r.network));
    expect(unexpected).toEqual([]);
    expect(report!.failed).toBe(expectedFailed);
    expect(report!.unsupported).toBe(cases.filter((c) => c.expected.result === CheckResult.UNSUPPORTED).length);
  });
});
