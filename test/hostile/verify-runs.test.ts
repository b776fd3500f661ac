import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listNetns, runCommand } from '../../lib/cli/dataplane';
import { ExitCode } from '../../lib/cli/main';
import { runCli, writeYamlDocs } from '../util/cli';
import { EXIT_NOTHING_VERIFIED } from '../../lib/cli/verify-command';
import {
  CheckKind,
  CheckResult,
  DEFAULT_RUN_DIR,
  VERIFY_LIMITS,
  VerifyCannotRun,
  VerifyInterrupted,
  cleanupDeadRuns,
  listRuns,
  planRun,
  processStartTime,
  verifyObjects,
} from '../../lib/cli/verify';
import { dataplaneTest, printSkipSummary } from '../cli/dataplane/gate';

/**
 * verify's runs against hostile conditions: two runs at once, a run killed with SIGKILL and
 * `verify --cleanup`, forged markers, cancellation, inputs beyond the limits, and the exit status
 * of runs that fail or verify nothing.
 */

printSkipSummary('test/hostile/verify-runs.test.ts');

const NEEDS = { plugins: ['bridge', 'macvlan', 'host-local', 'static'] };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-runs-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const nad = (name: string, config: object) => ({ apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace: 'lab' }, spec: { config: JSON.stringify({ cniVersion: '1.0.0', name, ...config }) } });
const pod = (name: string, networks: object[]) => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: 'lab', annotations: { 'k8s.v1.cni.cncf.io/networks': JSON.stringify(networks) } },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
});
const asObjects = (docs: object[]) => docs.map((object, index) => ({ file: 'x.yaml', index, object }));
function writeYaml(name: string, docs: unknown[]): string {
  return writeYamlDocs(tmp, name, docs);
}
const cli = runCli;

/** A topology of a bridge network with host-local addresses and n pods. */
function bridgeTopology(n: number, subnet = '10.61.0.0/24'): object[] {
  const docs: object[] = [nad('data', { plugins: [{ type: 'bridge', bridge: 'br-data', ipam: { type: 'host-local', ranges: [[{ subnet }]] } }] })];
  for (let i = 0; i < n; i++) docs.push(pod(`p${i}`, [{ name: 'data' }]));
  return docs;
}

/** A pid that is certainly dead: a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid!;
}

describe('two runs at once', () => {
  dataplaneTest('on the same manifests both pass, each with its own prefix, and leave nothing', NEEDS, async () => {
    const objects = asObjects(bridgeTopology(6));
    const runDir = path.join(tmp, 'runs-concurrent');
    const [a, b] = await Promise.all([verifyObjects(objects, { runDir }), verifyObjects(objects, { runDir })]);
    for (const r of [a, b]) {
      expect(r.checks.filter((c) => c.result !== CheckResult.PASSED)).toEqual([]);
      expect(r.checks.filter((c) => c.check === CheckKind.REACH)).toHaveLength(15);
      expect(r.leftovers).toEqual([]);
    }
    expect(a.prefix).not.toBe(b.prefix);
    expect(listNetns().filter((n) => n.startsWith(a.prefix) || n.startsWith(b.prefix))).toEqual([]);
    expect(fs.readdirSync(runDir)).toEqual([]);
  }, 120000);
});

describe('markers and --cleanup', () => {
  dataplaneTest('cleanupDeadRuns removes a dead run\'s namespaces, state directory and marker, and leaves a live run and unmarked namespaces alone', {}, () => {
    const runDir = path.join(tmp, 'runs-cleanup');
    fs.mkdirSync(runDir);
    const dead = 'nfv0dead0001';
    const live = 'nfv0a11e0001';
    const unmarked = 'nfv0ffff0001';
    const deadState = fs.mkdtempSync(path.join(os.tmpdir(), `${dead}-state-`));
    fs.writeFileSync(path.join(deadState, 'lease'), 'x');
    fs.writeFileSync(path.join(runDir, `${dead}.json`), JSON.stringify({ prefix: dead, pid: deadPid(), startTime: '1', started: 'then', stateDir: deadState }));
    fs.writeFileSync(path.join(runDir, `${live}.json`), JSON.stringify({ prefix: live, pid: process.pid, startTime: processStartTime(process.pid), started: 'now' }));
    for (const n of [`${dead}-pod0`, `${dead}-node0`, `${live}-pod0`, `${unmarked}-pod0`]) expect(runCommand('ip', ['netns', 'add', n]).status).toBe(0);
    try {
      const r = cleanupDeadRuns(runDir);
      expect(r.removed).toEqual([{ prefix: dead, pid: expect.any(Number), namespaces: [`${dead}-node0`, `${dead}-pod0`], stateDir: deadState }]);
      expect(r.alive).toEqual([live]);
      expect(r.failed).toEqual([]);
      const left = listNetns();
      expect(left.filter((n) => n.startsWith(dead))).toEqual([]);
      expect(left).toContain(`${live}-pod0`);
      expect(left).toContain(`${unmarked}-pod0`);
      expect(fs.existsSync(deadState)).toBe(false);
      expect(fs.readdirSync(runDir)).toEqual([`${live}.json`]);
    } finally {
      for (const n of [`${live}-pod0`, `${unmarked}-pod0`, `${dead}-pod0`, `${dead}-node0`]) runCommand('ip', ['netns', 'delete', n]);
    }
  });

  dataplaneTest('forged markers: a pid reused by a later process counts as dead; a state directory outside the temp dir, a bad name or bad JSON is never removed', {}, () => {
    const runDir = path.join(tmp, 'runs-forged');
    fs.mkdirSync(runDir);
    const precious = path.join(tmp, 'precious');
    fs.mkdirSync(precious);
    fs.writeFileSync(path.join(precious, 'keep'), 'x');
    const reused = 'nfv0beef0001';
    // this process's pid, but another start time: the pid was reused, the run is dead
    fs.writeFileSync(path.join(runDir, `${reused}.json`), JSON.stringify({ prefix: reused, pid: process.pid, startTime: '0', started: 'then', stateDir: precious }));
    fs.writeFileSync(path.join(runDir, 'nfv0beef0002.json'), '{not json');
    fs.writeFileSync(path.join(runDir, 'x;rm -rf.json'), JSON.stringify({ prefix: 'x;rm -rf', pid: deadPid(), startTime: '1', stateDir: precious }));
    fs.writeFileSync(path.join(runDir, 'nfv0beef0003.json'), JSON.stringify({ prefix: 'nfv0beef9999', pid: deadPid(), startTime: '1', stateDir: precious }));
    const r = cleanupDeadRuns(runDir);
    expect(r.removed).toEqual([{ prefix: reused, pid: process.pid, namespaces: [], stateDir: undefined }]);
    expect(fs.readdirSync(precious)).toEqual(['keep']);
    expect(fs.readdirSync(runDir).sort()).toEqual(['nfv0beef0002.json', 'nfv0beef0003.json', 'x;rm -rf.json']);
    expect(listRuns(runDir)).toEqual([]);
  });

  dataplaneTest('a run killed with SIGKILL leaves a marker; verify --cleanup removes its namespaces and state, and a later run is not disturbed', NEEDS, async () => {
    const file = writeYaml('killed.yaml', bridgeTopology(25, '10.62.0.0/24'));
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'cli', 'dataplane', 'cli-child.ts'), 'verify', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let killed = false;
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      if (!killed && /attach 3\//.test(err)) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    await new Promise((resolve) => child.on('close', resolve));
    expect(killed).toBe(true);
    const prefix = /^verify (nfv[0-9a-f]+):/m.exec(err)![1];
    const marker = path.join(DEFAULT_RUN_DIR, `${prefix}.json`);
    expect(fs.existsSync(marker)).toBe(true);
    const stateDir = JSON.parse(fs.readFileSync(marker, 'utf8')).stateDir as string;
    expect(listNetns().filter((n) => n.startsWith(`${prefix}-`)).length).toBeGreaterThan(0);
    expect(fs.existsSync(stateDir)).toBe(true);
    // a new run is not disturbed by the leftovers (its own random prefix), and says they are there
    let notice = '';
    const other = await verifyObjects(asObjects(bridgeTopology(2, '10.63.0.0/24')), { progress: (l) => { notice += `${l}\n`; } });
    expect(notice).toMatch(new RegExp(`^verify: leftovers of \\d+ killed runs? \\([^)]*${prefix}[^)]*\\) are still on this machine; verify --cleanup removes them$`, 'm'));
    expect(other.failed).toBe(0);
    expect(other.prefix).not.toBe(prefix);
    expect(listNetns().filter((n) => n.startsWith(`${prefix}-`)).length).toBeGreaterThan(0);
    const r = await cli(['verify', '--cleanup']);
    expect(r.code).toBe(ExitCode.OK);
    expect(r.err).toContain(`cdk8s-nfv verify: removed run ${prefix} (pid ${child.pid} is gone): `);
    expect(r.out).toMatch(/^\d+ dead run\(s\) cleaned, \d+ live run\(s\) left alone\n$/);
    expect(listNetns().filter((n) => n.startsWith(`${prefix}-`))).toEqual([]);
    expect(fs.existsSync(stateDir)).toBe(false);
    expect(fs.existsSync(marker)).toBe(false);
  }, 120000);
});

describe('cancellation', () => {
  dataplaneTest('an AbortSignal stops the run mid-attach: VerifyInterrupted with the reason, nothing left', NEEDS, async () => {
    const abort = new AbortController();
    const runDir = path.join(tmp, 'runs-abort');
    let prefix = '';
    const p = verifyObjects(asObjects(bridgeTopology(20, '10.64.0.0/24')), {
      runDir, signal: abort.signal,
      progress: (l) => {
        prefix = /^verify (nfv[0-9a-f]+):/.exec(l)?.[1] ?? prefix;
        if (/^attach 2\//.test(l)) abort.abort('SIGTERM');
      },
    });
    await expect(p).rejects.toThrow(new VerifyInterrupted('SIGTERM', 'interrupted by SIGTERM; everything the run created was removed', []));
    expect(listNetns().filter((n) => n.startsWith(`${prefix}-`))).toEqual([]);
    expect(fs.readdirSync(runDir)).toEqual([]);
  }, 120000);

  dataplaneTest('the deadline stops the run: VerifyInterrupted "timeout", nothing left', NEEDS, async () => {
    const runDir = path.join(tmp, 'runs-timeout');
    const p = verifyObjects(asObjects(bridgeTopology(20, '10.65.0.0/24')), { runDir, timeoutMs: 300 });
    await expect(p).rejects.toThrow('timed out after 0 s; everything the run created was removed');
    expect(fs.readdirSync(runDir)).toEqual([]);
  }, 120000);
});

describe('limits', () => {
  test('pods beyond the run limit: VerifyCannotRun before anything is made, quickly and without the memory for them', () => {
    const docs: object[] = [nad('data', { type: 'bridge', ipam: { type: 'static' } })];
    for (let i = 0; i < 8; i++) {
      docs.push({
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `d${i}`, namespace: 'lab' },
        spec: { replicas: 256, template: { metadata: { annotations: { 'k8s.v1.cni.cncf.io/networks': 'data' } }, spec: { containers: [] } } },
      });
    }
    const started = performance.now();
    expect(() => planRun(asObjects(docs))).toThrow(new VerifyCannotRun(
      `'pods' are more than verify brings up in one run: got at least 2048; verify at most ${VERIFY_LIMITS.maxPods} pods at once (fewer workloads or replicas, or --no-probe-unselected)`,
    ));
    expect(performance.now() - started).toBeLessThan(5000);
  });

  test('objects beyond the run limit: VerifyCannotRun', () => {
    const objects = asObjects(Array.from({ length: VERIFY_LIMITS.maxObjects + 1 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` } })));
    expect(() => planRun(objects)).toThrow(new VerifyCannotRun(`'objects' are more than verify takes in one run: got ${VERIFY_LIMITS.maxObjects + 1}; verify at most ${VERIFY_LIMITS.maxObjects} objects at once (split the manifests)`));
  });

  test('replicas of 1e9 and Infinity plan in milliseconds as input rows (no pods, no heap exhaustion)', () => {
    const dep = (name: string, replicas: unknown) => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'lab' },
      spec: { replicas, template: { metadata: { annotations: { 'k8s.v1.cni.cncf.io/networks': 'data' } }, spec: { containers: [] } } },
    });
    const started = performance.now();
    const plan = planRun(asObjects([dep('big', 1e9), dep('inf', Infinity)]), { probeUnselected: false });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(plan.pods).toEqual([]);
    expect(plan.inputRows.map((r) => [r.check, r.from, r.result])).toEqual([['input', 'Deployment lab/inf', 'failed'], ['input', 'Deployment lab/big', 'failed']]);
  });

  test.each(['0', '65', '1.5', '1e400'])('--nodes %s: exit 2 in the one error style', async (n) => {
    const file = writeYaml('nodes.yaml', bridgeTopology(1));
    const r = await cli(['verify', file, '--nodes', n]);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    // the last line (a line naming the engine may come first)
    expect(r.err).toMatch(/(^|\n)cdk8s-nfv verify: '--nodes' must be an integer from 1 to 64: got [^;\n]+; emulate fewer nodes\n$/);
    expect(r.out).toBe('');
  });
});

describe('exit status', () => {
  dataplaneTest('one hostile object next to a good pair: exit 1, "ok": false, the good pair passes', NEEDS, async () => {
    const file = writeYaml('one-bad.yaml', [
      nad('good', { type: 'macvlan', master: 'eth1', mode: 'bridge', ipam: { type: 'static' }, capabilities: { ips: true } }),
      nad('bad', { type: 'macvlan', master: 'eth1\nnetns add pwned', ipam: { type: 'static' } }),
      pod('a', [{ name: 'good', ips: ['10.66.0.1/24'] }, { name: 'bad' }]),
      pod('b', [{ name: 'good', ips: ['10.66.0.2/24'] }]),
    ]);
    const r = await cli(['verify', file, '--format', 'json']);
    expect(r.code).toBe(ExitCode.FAILED);
    const report = JSON.parse(r.out);
    expect(report.ok).toBe(false);
    expect(report.verdict).toBe('failed');
    expect(report.checks).toContainEqual({
      check: 'attach', from: 'lab/a:net2', to: '-', network: 'bad', result: 'failed',
      reason: 'NetworkAttachmentDefinition lab/bad: \'spec.config.master\' is not a valid link name: got "eth1\\nnetns add pwned"; use a Linux interface name of at most 15 characters from [A-Za-z0-9_.-]',
    });
    expect(report.checks).toContainEqual({ check: 'reach', from: 'lab/a:net1 10.66.0.1/24', to: 'lab/b:net1 10.66.0.2/24', network: 'good', result: 'passed' });
    expect(listNetns()).not.toContain('pwned');
  }, 120000);

  dataplaneTest(`a run where every check is unsupported here: exit ${EXIT_NOTHING_VERIFIED}, "ok": false, and the table says nothing was verified`, NEEDS, async () => {
    const file = writeYaml('all-unsupported.yaml', [
      nad('fw', { plugins: [{ type: 'bridge', bridge: 'brfw', ipam: { type: 'static' } }, { type: 'firewall', backend: 'firewalld' }] }),
      pod('a', [{ name: 'fw' }]),
    ]);
    const json = await cli(['verify', file, '--format', 'json']);
    expect(json.code).toBe(EXIT_NOTHING_VERIFIED);
    const report = JSON.parse(json.out);
    expect([report.ok, report.verdict, report.passed, report.failed, report.unsupported]).toEqual([false, 'nothing-verified', 0, 0, 1]);
    const text = await cli(['verify', file]);
    expect(text.code).toBe(EXIT_NOTHING_VERIFIED);
    expect(text.out).toMatch(/\n1 check: 0 passed, 0 failed, 1 unsupported here \(1 pod, 1 attachment, 1 node\)\nnothing was verified: no check passed \(every check is unsupported here\)\n(engine: \w+\n)?$/);
  }, 120000);

  test('--help documents the exit statuses, the limits and what verify touches', async () => {
    const r = await cli(['verify', '--help']);
    const flat = r.out.replace(/\s+/g, ' ');
    expect(flat).toContain(`${EXIT_NOTHING_VERIFIED} nothing was verified (no check passed: every one is unsupported here)`);
    expect(flat).toContain('256 replicas per workload and 32 attachments per pod');
    expect(flat).toContain('--cleanup remove the leftovers (namespaces, state) of verify runs that were killed, and only those; then exit');
    expect(flat).toContain('It refuses (unsupported here) options that reach outside the run');
  });
});
