import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { buildExamples } from '../../examples/main';
import {
  IpamMode,
  MacvlanMode,
  Network,
  NetworkFunction,
  NetworkPlugin,
  PluginsProfile,
  ReachabilityExpectation,
} from '../../lib';
import { DataplaneCapabilities, EnvironmentProblem, listNetns, probeCapabilities, runCommand } from '../../lib/cli/dataplane';
import { ExitCode } from '../../lib/cli/main';
import { runCli, writeYamlDocs } from '../util/cli';
import { CheckKind, CheckResult, DEFAULT_RUN_DIR, VerifyCannotRun, VerifyReport, verifyObjects } from '../../lib/cli/verify';
import { PreinstalledCniPlugins } from '../../lib/installers';
import { dataplaneTest, printSkipSummary } from './dataplane/gate';

/**
 * `cdk8s-nfv verify` end to end, as root with the real plugin binaries (gated like the other
 * dataplane tests: skipped with the reason when the machine cannot, failing instead under
 * CDK8S_NFV_REQUIRE_DATAPLANE=1).
 */

printSkipSummary('test/cli/verify.test.ts');

const NEEDS = { plugins: ['bridge', 'macvlan', 'host-local', 'static'] };
const IMAGE = 'docker.io/library/busybox:1.36';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function writeCharts(app: App, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const c of app.charts) {
    fs.writeFileSync(path.join(dir, `${c.node.id}.k8s.yaml`), c.toJson().map((o: unknown) => YAML.stringify(o)).join('---\n'));
  }
}

function writeYaml(name: string, docs: unknown[]): string {
  return writeYamlDocs(tmp, name, docs);
}

const cli = runCli;

async function cliJson(args: string[]): Promise<{ code: number; report: VerifyReport & { ok: boolean }; err: string }> {
  const r = await cli([...args, '--format', 'json']);
  return { code: r.code, err: r.err, report: JSON.parse(r.out || 'null') };
}

/** The root namespace's links: what must be unchanged after a run. */
function machineState(): { links: string[] } {
  const links = runCommand('ip', ['-o', 'link', 'show']).stdout.split('\n').map((l) => l.split(':')[1]?.trim()).filter(Boolean).sort();
  return { links };
}

/** The run prefix a command run printed in its first progress line. */
function prefixOf(err: string): string {
  const m = /^verify (nfv[0-9a-f]+):/m.exec(err);
  if (!m) throw new Error(`no run prefix in ${JSON.stringify(err.slice(0, 200))}`);
  return m[1];
}

/** Nothing of a run is left: no namespace, no state directory, no marker. */
function expectNothingLeft(prefix: string): void {
  expect(listNetns().filter((n) => n.startsWith(`${prefix}-`))).toEqual([]);
  expect(fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith(prefix))).toEqual([]);
  expect(fs.existsSync(path.join(DEFAULT_RUN_DIR, `${prefix}.json`))).toBe(false);
}

function nad(name: string, namespace: string, config: object): object {
  return { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace }, spec: { config: JSON.stringify({ cniVersion: '1.0.0', name, ...config }) } };
}

function pod(name: string, namespace: string, networks: object[], extra: Record<string, string> = {}): object {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace, annotations: { 'k8s.v1.cni.cncf.io/networks': JSON.stringify(networks), ...extra } },
    spec: { containers: [{ name: 'c', image: IMAGE }] },
  };
}

const staticMacvlan = { plugins: [{ type: 'macvlan', master: 'eth1', mode: 'bridge', ipam: { type: 'static' }, capabilities: { ips: true } }] };

describe('verify on the examples', () => {
  const dir = path.join(tmp, 'examples');
  const app = Testing.app();
  buildExamples(app);
  writeCharts(app, dir);

  dataplaneTest('passes on the synthesized 5G example: every attachment and every pair per network', NEEDS, async () => {
    const { code, report } = await cliJson(['verify', path.join(dir, 'five-g.k8s.yaml')]);
    expect(report.checks.filter((c) => c.result !== CheckResult.PASSED)).toEqual([]);
    expect(code).toBe(ExitCode.OK);
    expect(report.pods).toBe(5);
    const reach = report.checks.filter((c) => c.check === CheckKind.REACH);
    // n2: amf-gnb; n3: upf0-upf1, upf0-gnb, upf1-gnb; n4: smf-upf0, smf-upf1, upf0-upf1; n6: upf0-upf1
    expect(reach.map((c) => c.network).sort()).toEqual(['n2', 'n3', 'n3', 'n3', 'n4', 'n4', 'n4', 'n6']);
    expect(reach).toContainEqual(expect.objectContaining({ from: 'fivegc-cp/amf:n2 10.2.0.10/24', to: 'ran/gnb-sim:n2 10.2.0.50/24', network: 'n2' }));
  }, 120000);

  dataplaneTest('passes on the synthesized talk example, with the ipvlan network listed as unsupported here (not passed)', NEEDS, async () => {
    const { code, out } = await cli(['verify', path.join(dir, 'talk.k8s.yaml')]);
    expect(code).toBe(ExitCode.OK);
    const ipvlanRows = out.split('\n').filter((l) => /ipvlan-eth0/.test(l));
    const caps = probeCapabilities();
    if (!caps.linkTypes.ipvlan) {
      expect(ipvlanRows).toHaveLength(2);
      for (const row of ipvlanRows) {
        expect(row).toMatch(/^attach\s.*ipvlan-eth0\s+unsupported here \(the kernel has no ipvlan links/);
        expect(row).not.toMatch(/passed/);
      }
    }
    // lan01 has the talk's function attached (ubuntu-host): its pod is attached, not probed
    expect(out).toMatch(/^attach\s+default\/ubuntu-host:net-eth0\s.*lan01\s+passed$/m);
    expect(out).toMatch(/^reach\s.*macvlan-eth0\s+passed$/m);
    expect(out).toMatch(/checks: \d+ passed, 0 failed, \d+ unsupported here/);
  }, 120000);

  dataplaneTest('passes on the whole dist/ folder on three emulated nodes (bridges joined through the underlay)', NEEDS, async () => {
    const { code, report } = await cliJson(['verify', dir, '--nodes', '3', '--no-probe-unselected']);
    expect(report.checks.filter((c) => c.result === CheckResult.FAILED)).toEqual([]);
    expect(code).toBe(ExitCode.OK);
    expect(report.nodes).toBe(3);
  }, 120000);
});

describe('verify failures', () => {
  dataplaneTest('fails when pods sit on different subnets of one network, naming the pair and the network', NEEDS, async () => {
    const file = writeYaml('subnets.yaml', [
      nad('data', 'lab', staticMacvlan),
      pod('left', 'lab', [{ name: 'data', interface: 'data0', ips: ['10.20.0.5/24'] }]),
      pod('right', 'lab', [{ name: 'data', interface: 'data0', ips: ['10.20.1.5/24'] }]),
    ]);
    const before = machineState();
    const { code, out, err } = await cli(['verify', file]);
    expect(code).toBe(ExitCode.FAILED);
    expect(out).toMatch(/^reach\s+lab\/left:data0 10\.20\.0\.5\/24\s+lab\/right:data0 10\.20\.1\.5\/24\s+data\s+FAILED \(no answer from 10\.20\.1\.5.*10\.20\.0\.5\/24 and 10\.20\.1\.5\/24 are on different subnets of network data\)$/m);
    expect(out).toMatch(/1 failed/);
    // teardown leaves nothing behind although a check failed
    expect(machineState()).toEqual(before);
    expectNothingLeft(prefixOf(err));
  }, 120000);

  dataplaneTest('reaches over IPv6 and IPv4, and across nodes on a bridge network', NEEDS, async () => {
    const file = writeYaml('dual.yaml', [
      nad('lan', 'lab', { plugins: [{ type: 'bridge', bridge: 'br-lan', ipam: { type: 'static' }, capabilities: { ips: true } }] }),
      pod('one', 'lab', [{ name: 'lan', ips: ['10.30.0.1/24', 'fd00:30::1/64'] }]),
      pod('two', 'lab', [{ name: 'lan', ips: ['10.30.0.2/24', 'fd00:30::2/64'] }]),
    ]);
    const { code, report } = await cliJson(['verify', file, '--nodes', '2']);
    expect(report.checks.filter((c) => c.result !== CheckResult.PASSED)).toEqual([]);
    expect(code).toBe(ExitCode.OK);
    expect(report.checks.filter((c) => c.check === CheckKind.REACH).map((c) => [c.from, c.to])).toEqual([
      ['lab/one:net1 10.30.0.1/24', 'lab/two:net1 10.30.0.2/24'],
      ['lab/one:net1 fd00:30::1/64', 'lab/two:net1 fd00:30::2/64'],
    ]);
  }, 120000);

  dataplaneTest('reports an attachment whose plugin fails, and still attaches the pod\'s other networks', NEEDS, async () => {
    const file = writeYaml('broken.yaml', [
      nad('good', 'lab', staticMacvlan),
      nad('bad', 'lab', { plugins: [{ type: 'macvlan', master: 'eth1', mode: 'nonsense', ipam: { type: 'static' }, capabilities: { ips: true } }] }),
      nad('sriovnet', 'lab', { plugins: [{ type: 'sriov', ipam: { type: 'static' } }] }),
      pod('x', 'lab', [{ name: 'bad', ips: ['10.40.0.1/24'] }, { name: 'sriovnet' }, { name: 'good', ips: ['10.41.0.1/24'] }]),
      pod('y', 'lab', [{ name: 'good', ips: ['10.41.0.2/24'] }]),
    ]);
    const { code, report } = await cliJson(['verify', file]);
    expect(code).toBe(ExitCode.FAILED);
    const attach = report.checks.filter((c) => c.check === CheckKind.ATTACH);
    expect(attach).toContainEqual(expect.objectContaining({ from: 'lab/x:net1', network: 'bad', result: CheckResult.FAILED, reason: expect.stringMatching(/^ADD macvlan \(plugins\[0\]\): .*nonsense/) }));
    expect(attach).toContainEqual(expect.objectContaining({ from: 'lab/x:net2', network: 'sriovnet', result: CheckResult.UNSUPPORTED }));
    expect(attach).toContainEqual(expect.objectContaining({ from: 'lab/x:net3', network: 'good', result: CheckResult.PASSED }));
    expect(report.checks).toContainEqual(expect.objectContaining({ check: CheckKind.REACH, network: 'good', result: CheckResult.PASSED }));
  }, 120000);
});

describe('declared expectations', () => {
  function expectationApp(isolateOn: 'data' | 'none') {
    const app = Testing.app();
    const chart = new Chart(app, 'expect', { namespace: 'lab' });
    PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.DEBIAN_1_1_1);
    const data = new Network(chart, 'Data', { name: 'data', plugin: NetworkPlugin.macvlan({ uplink: 'eth1', mode: MacvlanMode.BRIDGE }), subnets: ['10.50.0.0/24'], ipam: IpamMode.STATIC });
    const mgmt = new Network(chart, 'Mgmt', { name: 'mgmt', plugin: NetworkPlugin.bridge({ bridge: 'br-mgmt' }), subnets: ['10.51.0.0/24'], ipam: IpamMode.STATIC });
    const fn = (name: string) => new NetworkFunction(chart, name, { name, containers: [{ name, image: IMAGE }] });
    const client = fn('client');
    const server = fn('server');
    const vault = fn('vault');
    client.attach(data, { ips: ['10.50.0.1/24'] });
    server.attach(data, { ips: ['10.50.0.2/24'] });
    vault.attach(mgmt, { ips: ['10.51.0.3/24'] });
    ReachabilityExpectation.mustReach(client, server, data);
    ReachabilityExpectation.mustNotReach(client, vault);
    if (isolateOn === 'data') ReachabilityExpectation.mustNotReach(client, server, { network: data });
    return app;
  }

  dataplaneTest('a declared reach and a declared isolation that hold pass', NEEDS, async () => {
    const dir = path.join(tmp, 'expect-ok');
    writeCharts(expectationApp('none'), dir);
    const { code, report } = await cliJson(['verify', dir]);
    expect(report.checks.filter((c) => c.result !== CheckResult.PASSED)).toEqual([]);
    expect(code).toBe(ExitCode.OK);
    expect(report.checks).toContainEqual(expect.objectContaining({ check: CheckKind.EXPECT_REACH, from: 'lab/client:net1', to: 'lab/server', network: 'data', result: CheckResult.PASSED }));
    expect(report.checks).toContainEqual(expect.objectContaining({ check: CheckKind.EXPECT_ISOLATED, from: 'lab/client', to: 'lab/vault', network: '*', result: CheckResult.PASSED }));
  }, 120000);

  dataplaneTest('fails when a declared "must not reach" does reach, and leaves nothing behind', NEEDS, async () => {
    const dir = path.join(tmp, 'expect-bad');
    writeCharts(expectationApp('data'), dir);
    const before = machineState();
    const { code, out, err } = await cli(['verify', dir]);
    expect(code).toBe(ExitCode.FAILED);
    expect(out).toMatch(/^expect-isolated\s+lab\/client\s+lab\/server\s+data\s+FAILED \(lab\/server answers at 10\.50\.0\.2 but must not be reachable\)$/m);
    expect(machineState()).toEqual(before);
    expectNothingLeft(prefixOf(err));
  }, 120000);
});

describe('verify cannot run', () => {
  test('fails with exit 2 when not root (no namespaces)', async () => {
    const caps: DataplaneCapabilities = {
      environment: { ok: false, root: false, iproute2: true, netns: false, problem: EnvironmentProblem.NOT_ROOT, reason: 'not running as root (uid 0), which creating network namespaces needs' },
      linkTypes: {} as DataplaneCapabilities['linkTypes'],
      features: {} as DataplaneCapabilities['features'],
      tools: {},
    };
    const objects = [{ file: 'x.yaml', index: 0, object: nad('data', 'lab', staticMacvlan) }];
    await expect(verifyObjects(objects, { capabilities: caps })).rejects.toThrow(VerifyCannotRun);
    await expect(verifyObjects(objects, { capabilities: caps })).rejects.toThrow(/cannot bring the topology up here: not running as root/);
  });

  dataplaneTest('fails with exit 2 when the plugin path holds no binaries', {}, async () => {
    const empty = fs.mkdtempSync(path.join(tmp, 'empty-'));
    const file = writeYaml('nobin.yaml', [nad('data', 'lab', staticMacvlan)]);
    const r = await cli(['verify', file, '--cni-path', empty]);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.err).toMatch(/no CNI plugin binaries in .*empty-/);
  });

  test('fails with exit 2 on unreadable input', async () => {
    const r = await cli(['verify', path.join(tmp, 'does-not-exist.yaml')]);
    expect(r.code).toBe(ExitCode.CANNOT_RUN);
    expect(r.out).toBe('');
  });

  dataplaneTest('a malformed expectation annotation fails that object only (an input row), the other pods are verified', NEEDS, async () => {
    const file = writeYaml('bad-expect.yaml', [
      nad('data', 'lab', staticMacvlan),
      pod('p', 'lab', [{ name: 'data', ips: ['10.70.0.1/24'] }], { 'nfv.cdk8s.io/expect-reach': '[{"function":"q"}]' }),
      pod('q', 'lab', [{ name: 'data', ips: ['10.70.0.2/24'] }]),
      pod('r', 'lab', [{ name: 'data', ips: ['10.70.0.3/24'] }]),
    ]);
    const { code, report } = await cliJson(['verify', file]);
    expect(code).toBe(ExitCode.FAILED);
    const input = report.checks.filter((c) => c.check === CheckKind.INPUT);
    expect(input.map((c) => [c.from, c.result])).toEqual([['Pod lab/p', CheckResult.FAILED], ['Pod lab/p', CheckResult.FAILED]]);
    expect(input[0].reason).toBe('Pod lab/p: \'metadata.annotations["nfv.cdk8s.io/expect-reach"][0].namespace\' must be a DNS-1123 label: got undefined; name the target\'s namespace');
    expect(input[1].reason).toMatch(/^Pod lab\/p: 'metadata.annotations\["nfv.cdk8s.io\/expect-reach"\]\[0\].network' is required for a reach expectation/);
    expect(report.checks).toContainEqual(expect.objectContaining({ check: CheckKind.REACH, from: 'lab/q:net1 10.70.0.2/24', to: 'lab/r:net1 10.70.0.3/24', result: CheckResult.PASSED }));
    expect(report.pods).toBe(2);
  }, 120000);
});

describe('interrupted runs', () => {
  dataplaneTest('tears everything down on SIGTERM in the middle of a run and exits 2', NEEDS, async () => {
    const docs: object[] = [nad('data', 'lab', { plugins: [{ type: 'bridge', bridge: 'br-data', ipam: { type: 'host-local', ranges: [[{ subnet: '10.60.0.0/24' }]] } }] })];
    for (let i = 0; i < 30; i++) docs.push(pod(`p${i}`, 'lab', [{ name: 'data' }]));
    const file = writeYaml('many.yaml', docs);
    const linksBefore = machineState().links;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'dataplane', 'cli-child.ts'), 'verify', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let sent = false;
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      if (!sent && /attach 3\//.test(err)) {
        sent = true;
        child.kill('SIGTERM');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(sent).toBe(true);
    expect(err).toMatch(/interrupted by SIGTERM; everything the run created was removed/);
    expect(code).toBe(ExitCode.CANNOT_RUN);
    expectNothingLeft(prefixOf(err));
    expect(machineState().links).toEqual(linksBefore);
  }, 120000);
});
