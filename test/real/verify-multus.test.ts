import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { ExitCode, run } from '../../lib/cli/main';
import { ControlPlane } from '../../lib/toolchain/control-plane';
import { CheckKind, CheckResult, VerifyCannotRun, VerifyReport, verifyObjects } from '../../lib/cli/verify';
import { MULTUS_NO_DELEGATE_VERBS, multusEngine } from '../../lib/cli/verify/multus-engine';
import { compareStatus, parseNetworkStatus } from '../../lib/cli/verify/multus-engine/network-status';
import { listNetns } from '../../lib/cli/dataplane';
import { dataplaneTest } from '../cli/dataplane/gate';
import { BUILD_TIMEOUT_MS, describeWithToolchain, ensureToolchain, startTestControlPlane } from '../util/toolchain';
import { exampleInputs, rowKey, rowValue } from './verify-differential-helpers';

/**
 * `verify --engine multus`: the real Multus binary attaches every pod from the Pod and NADs in a
 * private API server; network-status is read back and checked; the rows equal the emulated
 * engine's on the five-g and talk examples.
 */

const NEEDS = { plugins: ['macvlan', 'bridge', 'static', 'host-local', 'ptp'] };

describe('network-status, pure', () => {
  test('parses Multus entries and reports a missing annotation in the house style', () => {
    const ok = parseNetworkStatus(JSON.stringify([{ name: 'cdk8s-nfv-cluster', interface: 'eth0', ips: ['198.18.0.2'], default: true }, { name: 'lab/a', interface: 'net1', ips: ['10.0.0.1'], mac: '02:00:00:00:00:01' }]));
    expect(ok).toEqual({ entries: [
      { name: 'cdk8s-nfv-cluster', interface: 'eth0', ips: ['198.18.0.2'], default: true },
      { name: 'lab/a', interface: 'net1', ips: ['10.0.0.1'], mac: '02:00:00:00:00:01', default: false },
    ] });
    expect(parseNetworkStatus(undefined).error).toBe('\'metadata.annotations["k8s.v1.cni.cncf.io/network-status"]\' is missing: got undefined; Multus writes it after a successful ADD (did Multus find the pod?)');
    expect(parseNetworkStatus('{}').error).toBe('\'metadata.annotations["k8s.v1.cni.cncf.io/network-status"]\' is not a list: got {}; Multus writes a JSON list of network statuses');
  });

  test('compares an entry with the interface as the pod namespace holds it', () => {
    const expected = { network: 'lab/a', ifname: 'net1', addresses: ['10.0.0.1/24'], linkMac: '02:00:00:00:00:01', requestedMac: '02:00:00:00:00:01', requestedIps: ['10.0.0.1/24'] };
    expect(compareStatus(expected, { name: 'lab/a', interface: 'net1', ips: ['10.0.0.1'], mac: '02:00:00:00:00:01', default: false })).toEqual([]);
    expect(compareStatus(expected, { name: 'lab/b', interface: 'net1', ips: ['10.0.0.2'], mac: '02:00:00:00:00:02', default: false })).toEqual([
      'network-status names "lab/b" for net1, expected "lab/a"',
      'network-status reports addresses [10.0.0.2] but net1 holds [10.0.0.1]',
      'the pod asked for 10.0.0.1/24 on net1 but network-status reports [10.0.0.2]',
      'network-status reports MAC 02:00:00:00:00:02 but net1 has 02:00:00:00:00:01',
      'the pod asked for MAC 02:00:00:00:00:01 on net1 but network-status reports 02:00:00:00:00:02',
    ]);
    expect(compareStatus(expected, undefined)).toEqual(['network-status has no entry for interface net1 (lab/a)']);
  });
});

describeWithToolchain('verify --engine multus (the real Multus v4.3.0, a private API server)', ['etcd', 'kube-apiserver', 'multus'], () => {
  let cp: ControlPlane;
  let multus: string;
  beforeAll(async () => {
    const bins = await ensureToolchain(['multus']);
    multus = bins.multus;
    cp = await startTestControlPlane();
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await cp?.stop();
  });

  const examples = exampleInputs();
  for (const name of ['five-g', 'talk']) {
    dataplaneTest(`example ${name}: the same rows as the emulated engine, every attachment through Multus`, NEEDS, async () => {
      const objects = examples.find((e) => e.name === `example ${name}`)!.objects;
      const emulated = await verifyObjects(objects);
      const calls: string[] = [];
      const real: VerifyReport = await verifyObjects(objects, { engine: multusEngine({ multus, apiServer: cp, log: (l) => calls.push(l) }) });
      expect(real.checks.map((c) => [rowKey(c), rowValue(c)])).toEqual(emulated.checks.map((c) => [rowKey(c), rowValue(c)]));
      expect(real.failed).toBe(0);
      expect(real.passed).toBeGreaterThan(0);
      expect(real.leftovers).toEqual([]);
      expect(listNetns().filter((n) => n.startsWith(`${real.prefix}-`))).toEqual([]);
      // Multus ran once per pod for ADD and once for DEL (on top of the plugins the emulated part runs: none)
      const podsAttached = new Set(real.checks.filter((c) => c.check === CheckKind.ATTACH && c.result === CheckResult.PASSED).map((c) => c.from.split(':')[0])).size;
      expect(real.timings.pluginCalls).toBe(2 * podsAttached);
    }, 180000);
  }

  dataplaneTest('a cancelled run (its own API server) stops Multus, the forwarders, etcd and kube-apiserver and leaves nothing', NEEDS, async () => {
    const bins = await ensureToolchain(['etcd', 'kube-apiserver']);
    const objects = examples.find((e) => e.name === 'example five-g')!.objects;
    const abort = new AbortController();
    let prefix = '';
    const processesOf = (p: string) => fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(p);
      } catch {
        return false;
      }
    });
    let during: string[] = [];
    const run = verifyObjects(objects, {
      signal: abort.signal,
      engine: multusEngine({ multus, etcd: bins.etcd, kubeApiserver: bins['kube-apiserver'] }),
      progress: (l) => {
        prefix ||= /^verify (nfv[0-9a-f]+):/.exec(l)?.[1] ?? '';
        if (l.startsWith('attach 2/')) {
          during = processesOf(prefix);
          abort.abort();
        }
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'VerifyInterrupted', reason: 'aborted', leftovers: [] });
    expect(prefix).toMatch(/^nfv[0-9a-f]+$/);
    expect(listNetns().filter((n) => n.startsWith(`${prefix}-`))).toEqual([]);
    // no process of the run is left (each names the run's directory or namespaces): etcd,
    // kube-apiserver and the node forwarder ran during the run
    expect(during.length).toBeGreaterThanOrEqual(3);
    expect(processesOf(prefix)).toEqual([]);
  }, 180000);

  dataplaneTest('network-status is read back: the requested MACs and addresses pass, and the Pods and NADs are removed from the shared API server', NEEDS, async () => {
    const nad = { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'data', namespace: 'lab' },
      spec: { config: JSON.stringify({ cniVersion: '1.0.0', name: 'data', plugins: [{ type: 'macvlan', master: 'eth1', mode: 'bridge', ipam: { type: 'static' }, capabilities: { ips: true, mac: true } }] }) } };
    const pod = (name: string, ip: string, mac: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'lab', annotations: { 'k8s.v1.cni.cncf.io/networks': JSON.stringify([{ name: 'data', ips: [ip], mac }]) } }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    const objects = [nad, pod('a', '10.77.0.1/24', '02:00:00:77:00:01'), pod('b', '10.77.0.2/24', '02:00:00:77:00:02')].map((object, index) => ({ file: 't', index, object }));
    // where Multus and the plugins keep state by default: the run must not write there
    const defaults = ['/var/lib/cni', '/etc/cni', '/run/cni', '/var/run/multus', '/etc/cni/multus', '/opt/cni/bin/multus'];
    const before = defaults.filter((d) => fs.existsSync(d));
    const report = await verifyObjects(objects, { engine: multusEngine({ multus, apiServer: cp }) });
    expect(defaults.filter((d) => fs.existsSync(d))).toEqual(before);
    expect(report.checks.filter((c) => c.check === CheckKind.ATTACH).map((c) => [c.from, c.result, c.reason])).toEqual([
      ['lab/a:net1', 'passed', '10.77.0.1/24'],
      ['lab/b:net1', 'passed', '10.77.0.2/24'],
    ]);
    expect(report.checks).toContainEqual(expect.objectContaining({ check: CheckKind.REACH, result: CheckResult.PASSED, from: 'lab/a:net1 10.77.0.1/24', to: 'lab/b:net1 10.77.0.2/24' }));
    // the run's Pods and NADs are gone from the shared API server
    expect((await cp.client.request('GET', '/api/v1/namespaces/lab/pods')).body.items).toEqual([]);
    expect((await cp.client.request('GET', '/apis/k8s.cni.cncf.io/v1/namespaces/lab/network-attachment-definitions')).body.items).toEqual([]);
  }, 180000);
});

describe('verify --engine (the command)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-engine-cli-'));
  const emptyToolchain = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-no-toolchain-'));
  const file = path.join(dir, 'five-g.yaml');
  fs.writeFileSync(file, exampleInputs().find((e) => e.name === 'example five-g')!.objects.map((o) => YAML.stringify(o.object)).join('---\n'));
  const saved = process.env.CDK8S_NFV_TOOLCHAIN_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.CDK8S_NFV_TOOLCHAIN_DIR;
    else process.env.CDK8S_NFV_TOOLCHAIN_DIR = saved;
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(emptyToolchain, { recursive: true, force: true });
  });

  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await run(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
    return { code, out, err };
  }

  test('--engine multus without the toolchain: exit 2, in the one error style', async () => {
    process.env.CDK8S_NFV_TOOLCHAIN_DIR = emptyToolchain;
    const r = await cli(['verify', file, '--engine', 'multus']);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.out).toBe('');
    expect(r.err).toBe(`cdk8s-nfv verify: '--engine multus' needs the toolchain binaries: got none for multus, etcd, kube-apiserver in ${emptyToolchain}; run \`npm run toolchain\` (or set CDK8S_NFV_TOOLCHAIN_DIR), or pass --engine emulated\n`);
  });

  dataplaneTest('an engine that cannot start (no Multus binary) makes the run VerifyCannotRun, and the run leaves nothing', NEEDS, async () => {
    let prefix = '';
    const r = verifyObjects(exampleInputs().find((e) => e.name === 'example five-g')!.objects, {
      engine: multusEngine({ multus: '/nonexistent/multus', apiServer: { url: 'https://127.0.0.1:1', token: 't', ca: '' } }),
      progress: (l) => { prefix ||= /^verify (nfv[0-9a-f]+):/.exec(l)?.[1] ?? ''; },
    });
    await expect(r).rejects.toThrow(new VerifyCannotRun('the Multus engine cannot start: \'multus\' is not an existing binary: got "/nonexistent/multus"; build it with `npm run toolchain`'));
    expect(listNetns().filter((n) => n.startsWith(`${prefix}-`))).toEqual([]);
    expect(fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith(`${prefix}-`))).toEqual([]);
  }, 60000);

  test('--engine bogus is refused by the option parser', async () => {
    const r = await cli(['verify', file, '--engine', 'bogus']);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.err).toMatch(/--engine <engine>' argument 'bogus' is invalid\. Allowed choices are auto, multus, emulated/);
  });

  dataplaneTest('--engine auto without the toolchain runs the emulated engine and says why', NEEDS, async () => {
    process.env.CDK8S_NFV_TOOLCHAIN_DIR = emptyToolchain;
    const r = await cli(['verify', file, '--format', 'json']);
    expect(r.code).toBe(ExitCode.OK);
    expect(JSON.parse(r.out).engine).toBe('emulated');
    expect(r.err.split('\n')[0]).toBe(`verify: engine emulated (no toolchain for multus, etcd, kube-apiserver in ${emptyToolchain})`);
  }, 180000);

  describeWithToolchain('with the toolchain', ['etcd', 'kube-apiserver', 'multus'], () => {
    beforeAll(async () => {
      await ensureToolchain(['etcd', 'kube-apiserver', 'multus']);
    }, BUILD_TIMEOUT_MS);

    dataplaneTest('--engine auto picks the real Multus (its own private API server); the table ends naming it', NEEDS, async () => {
      const r = await cli(['verify', file]);
      expect(r.code).toBe(ExitCode.OK);
      expect(r.err.split('\n')[0]).toMatch(/^verify: engine multus \(\/.*\/multus-v4\.3\.0\/bin\/multus\)$/);
      expect(r.out.trimEnd().split('\n').slice(-3)).toEqual([
        '25 checks: 25 passed, 0 failed, 0 unsupported here (5 pods, 10 attachments, 1 node)',
        // what Multus 4.3.0 does about CNI 1.1 for a pod's NADs (test/real/verify-multus-status-gc.test.ts)
        `STATUS and GC not sent to 7 networks (${MULTUS_NO_DELEGATE_VERBS}): ${['fivegc-cp/n2', 'fivegc-cp/n4', 'fivegc-up/n3', 'fivegc-up/n4', 'fivegc-up/n6', 'ran/n2', 'ran/n3'].map((n) => `NetworkAttachmentDefinition ${n}`).join(', ')}`,
        'engine: multus',
      ]);
      expect(r.err).toMatch(/^teardown: nothing left behind$/m);
      // the control plane it started is gone with the run's directory
      const prefix = /^verify (nfv[0-9a-f]+):/m.exec(r.err)![1];
      expect(fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith(`${prefix}-`))).toEqual([]);
    }, 180000);

    dataplaneTest('--engine emulated runs the emulation even with the toolchain', NEEDS, async () => {
      const r = await cli(['verify', file, '--engine', 'emulated', '--format', 'json']);
      expect(r.code).toBe(ExitCode.OK);
      expect(JSON.parse(r.out)).toMatchObject({ ok: true, engine: 'emulated', passed: 25, failed: 0 });
      expect(r.err.split('\n')[0]).toBe('verify: engine emulated');
    }, 180000);
  });
});
