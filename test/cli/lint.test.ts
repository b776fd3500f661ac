import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { buildExamples } from '../../examples/main';
import { Severity } from '../../lib/cni/problem';
import { LintFinding, formatFinding, lintManifests, lintObjects } from '../../lib/cli/lint';
import { ExitCode, Io, run } from '../../lib/cli/main';
import { parseManifests } from '../../lib/cli/manifests';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join('test', 'fixtures', 'lint');
const BROKEN = path.join(FIXTURES, 'broken');
const CLEAN = path.join(FIXTURES, 'clean');
const NETWORKS = 'k8s.v1.cni.cncf.io/networks';

/** Runs the command in-process with captured output. */
async function lint(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => { out += t; }, err: (t) => { err += t; } };
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const code = await run(['lint', ...args], io);
    return { code, out, err };
  } finally {
    process.chdir(cwd);
  }
}

async function lintJson(...args: string[]): Promise<{ code: number; report: { objects: number; errors: number; warnings: number; findings: LintFinding[] } }> {
  const r = await lint('--format', 'json', ...args);
  return { code: r.code, report: JSON.parse(r.out) };
}

describe('cdk8s-nfv lint: broken third-party-style manifests', () => {
  // each fixture holds one mistake; the finding names the file, the object and the field
  test.each([
    ['helm-5g-core-gateway.yaml', 'Deployment open5gs/open5gs-upf', `spec.template.metadata.annotations["${NETWORKS}"][1].gateway`,
      /^is not a NetworkSelectionElement key, so Multus ignores it$/, /use 'default-route'/],
    ['three-default-routes.yaml', 'Pod routes/router', `metadata.annotations["${NETWORKS}"]`,
      /^give the pod 3 default routes$/, /let exactly one attachment own the default route/],
    ['ip-outside-subnet.yaml', 'Pod outside/app', `metadata.annotations["${NETWORKS}"][0].ips[0]`,
      /^is outside the subnets of data \(192\.168\.10\.0\/24\)$/, /inside the network's subnet/],
    ['static-ip-three-replicas.yaml', 'Deployment replicas/amf', `spec.template.metadata.annotations["${NETWORKS}"][0].ips`,
      /^is a static address on 3 replicas, which would all claim it$/, /per-replica addressing/],
    ['sriov-no-resource.yaml', 'Deployment sriov/upf', 'resources.intel.com/sriov_netdevice',
      /^is requested 0 time\(s\) but 1 attachment\(s\) need a device from it$/, /request 1 of intel\.com\/sriov_netdevice/],
    ['nad-other-namespace.yaml', 'Pod tenant-a/probe', `metadata.annotations["${NETWORKS}"][0].name`,
      /^does not resolve to a NetworkAttachmentDefinition of the App in namespace tenant-a$/, /give the attachment the namespace of the NAD/],
    ['macvlan-bad-mode.yaml', 'NetworkAttachmentDefinition badmode/macvlan-data', 'spec.config.mode',
      /^must be one of "bridge", "private", "vepa", "passthru"$/, /exact case/],
    ['short-form-trailing-comma.yaml', 'Pod comma/client', `metadata.annotations["${NETWORKS}"][1]`,
      /^is empty \(a stray comma\)$/, /remove the extra comma/],
    ['eth0-interface.yaml', 'Pod ifname-eth0/app', `metadata.annotations["${NETWORKS}"][0].interface`,
      /^is taken by the cluster network or loopback$/, /pick another name/],
    ['long-interface-name.yaml', 'Pod ifname-long/app', `metadata.annotations["${NETWORKS}"][0].interface`,
      /^is longer than 15 characters \(16\)$/, /shorten it/],
    ['multicast-mac.yaml', 'Pod mcast/app', `metadata.annotations["${NETWORKS}"][0].mac`,
      /^is a multicast MAC address$/, /clear bit 0 of the first octet/],
    ['duplicate-macs.yaml', 'Pod dupmac/second', `metadata.annotations["${NETWORKS}"][0].mac`,
      /^is already used on net-d by Pod dupmac\/first \(d0\)$/, /its own MAC/],
  ])('%s: exit 1 with exactly that finding', async (file, object, field, message, fix) => {
    const { code, report } = await lintJson(path.join(BROKEN, file));
    expect(code).toBe(ExitCode.FAILED);
    expect(report.errors).toBe(1);
    expect(report.findings).toHaveLength(1);
    const [f] = report.findings;
    expect(f).toMatchObject({ file: path.join(BROKEN, file), object, field, severity: Severity.ERROR });
    expect(f.message).toMatch(message);
    expect(f.fix).toMatch(fix);
  });

  test('a folder is read recursively, in a stable order, and every problem is reported', async () => {
    const first = await lintJson(BROKEN);
    const second = await lintJson(BROKEN);
    expect(first.code).toBe(ExitCode.FAILED);
    expect(first.report.errors).toBe(12);
    expect(new Set(first.report.findings.map((f) => f.file)).size).toBe(12);
    expect(second.report).toEqual(first.report);
  });

  test('text output: one line per finding in the library\'s error style, then a summary', async () => {
    const { code, out, err } = await lint(path.join(BROKEN, 'three-default-routes.yaml'));
    expect(code).toBe(1);
    expect(err).toBe('');
    expect(out.split('\n')).toEqual([
      `${path.join(BROKEN, 'three-default-routes.yaml')}: Pod routes/router: error: '${`metadata.annotations["${NETWORKS}"]`}' give the pod 3 default routes: `
      + 'got ["net-a","net-b","net-c"]; let exactly one attachment own the default route (Multus rejects ECMP default routes)',
      '4 objects checked: 1 error(s), 0 warning(s)',
      '',
    ]);
  });
});

describe('cdk8s-nfv lint: clean manifests', () => {
  test('the clean fixtures pass with exit 0', async () => {
    const { code, report } = await lintJson(CLEAN);
    expect(code).toBe(ExitCode.OK);
    expect(report).toEqual({ objects: 11, errors: 0, warnings: 0, findings: [], readProblems: [] });
  });

  test.each(['five-g-core.yaml', 'short-form.yaml', 'talk-networks.json'])('%s passes on its own', async (file) => {
    const { code, out } = await lint(path.join(CLEAN, file));
    expect(code).toBe(0);
    expect(out).toMatch(/^\d+ objects checked: 0 error\(s\), 0 warning\(s\)\n$/);
  });

  test('the synthesized examples pass: lint and the constructs agree', async () => {
    const app = Testing.app();
    buildExamples(app);
    app.synth();
    const { code, report } = await lintJson(app.outdir);
    expect(report.findings).toEqual([]);
    expect(report.objects).toBeGreaterThan(20);
    expect(code).toBe(ExitCode.OK);
  });
});

describe('cdk8s-nfv lint: options and exit codes', () => {
  test('--profile debian-1.1.1 checks the configs against Debian\'s plugins', async () => {
    const file = path.join(FIXTURES, 'profile', 'macvlan-link-in-container.yaml');
    expect((await lint(file)).code).toBe(0);
    const { code, report } = await lintJson('--profile', 'debian-1.1.1', file);
    expect(code).toBe(1);
    expect(report.findings).toEqual([expect.objectContaining({
      field: 'spec.config.plugins[0].linkInContainer',
      message: expect.stringMatching(/is not read by containernetworking-plugins 1\.1\.1/),
    })]);
  });

  test('the JSON report has a fixed shape', async () => {
    const { report } = await lintJson(path.join(BROKEN, 'duplicate-macs.yaml'));
    expect(Object.keys(report)).toEqual(['objects', 'errors', 'warnings', 'findings', 'readProblems']);
    expect(report).toMatchObject({ objects: 3, errors: 1, warnings: 0 });
    expect(Object.keys(report.findings[0]).sort()).toEqual(['field', 'file', 'fix', 'message', 'object', 'severity', 'value']);
    expect(report.findings[0].value).toBe('02:00:00:AA:BB:01');
  });

  test('exit 2 when an input does not exist', async () => {
    const { code, err, out } = await lint('test/fixtures/lint/nope.yaml');
    expect(code).toBe(ExitCode.CANNOT_RUN);
    expect(err).toBe('cdk8s-nfv lint: test/fixtures/lint/nope.yaml: no such file or folder\n');
    expect(out).toBe('0 objects checked: 0 error(s), 0 warning(s), 1 input(s) not read\n');
  });

  test('exit 2 on an unknown profile, a bad format, or no input', async () => {
    const profile = await lint('--profile', 'gentoo', CLEAN);
    expect(profile.code).toBe(2);
    expect(profile.err).toMatch(/'--profile' is not a known plugins profile: got "gentoo"; use upstream or debian-1\.1\.1/);
    const format = await lint('--format', 'xml', CLEAN);
    expect(format.code).toBe(2);
    expect(format.err).toMatch(/argument 'xml' is invalid/);
    const none = await lint();
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/missing required argument 'inputs'/);
  });

  test('exit 2 on a file that cannot be parsed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-'));
    const file = path.join(dir, 'broken.yaml');
    fs.writeFileSync(file, 'a: [1, 2\nb: {');
    const { code, err } = await lint(file);
    expect(code).toBe(ExitCode.CANNOT_RUN);
    expect(err).toMatch(new RegExp(`^cdk8s-nfv lint: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: document 0 cannot be parsed: `));
    const parsed = parseManifests('a: [1, 2\nb: {', 'broken.yaml');
    expect(parsed.objects).toEqual([]);
  });

  test('JSON files and kind: List are read', () => {
    const r = lintManifests([path.join(ROOT, CLEAN, 'talk-networks.json')]);
    expect(r.readProblems).toEqual([]);
    expect(r.objects).toBe(2);
  });
});

describe('lintObjects', () => {
  const nad = (config: unknown) => ({ file: 'x.yaml', index: 0, object: { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'a', namespace: 'n' }, spec: { config } } });

  test('fails on a spec.config that is an object rather than a string', () => {
    const r = lintObjects([nad({ cniVersion: '1.0.0', type: 'bridge' })]);
    expect(r.findings.map(formatFinding)).toEqual([
      expect.stringMatching(/^x\.yaml: NetworkAttachmentDefinition n\/a: error: 'spec\.config' must be a string holding JSON: got \{.*\}; serialize the CNI config with JSON\.stringify; the CRD stores a string$/),
    ]);
  });

  test('fails on invalid JSON in spec.config (multus-cni#731)', () => {
    const r = lintObjects([nad('{"cniVersion":"1.0.0", "type": "bridge",}')]);
    expect(r.errors).toBeGreaterThan(0);
    expect(r.findings[0].field).toMatch(/^spec\.config/);
  });

  test('a config name other than the NAD name is no finding', () => {
    const r = lintObjects([nad('{"cniVersion":"1.0.0","name":"other","plugins":[{"type":"bridge","bridge":"br0"}]}')]);
    expect(r.findings).toEqual([]);
  });

  test('checks the default-network annotation: one element, looked up in kube-system', () => {
    const pod = (annotation: string) => ({
      file: 'p.yaml', index: 1,
      object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n', annotations: { 'v1.multus-cni.io/default-network': annotation } }, spec: { containers: [] } },
    });
    const two = lintObjects([pod('a, b')]);
    expect(two.findings.map((f) => f.message)).toContain('names more than one network');
    const missing = lintObjects([pod('calico')]);
    expect(missing.findings).toEqual([expect.objectContaining({
      field: 'defaultNetwork.name',
      message: 'does not resolve to a NetworkAttachmentDefinition of the App in namespace kube-system',
    })]);
  });

  test('does not crash on malformed selection values (multus-cni#820)', () => {
    const objects = parseManifests(`
apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    k8s.v1.cni.cncf.io/networks: '[{"name":"a","ips":"10.1.0.5/24","bandwidth":null,"default-route":"10.1.0.1"}]'
spec:
  containers: []
`, 'p.yaml').objects;
    const r = lintObjects(objects);
    expect(r.findings.map((f) => f.field)).toEqual([
      `metadata.annotations["${NETWORKS}"][0].ips`,
      `metadata.annotations["${NETWORKS}"][0].default-route`,
      `metadata.annotations["${NETWORKS}"][0].bandwidth`,
      `metadata.annotations["${NETWORKS}"][0].name`,
    ]);
  });

  test('objects with the same description in two files are told apart', () => {
    const pod = (file: string) => ({
      file, index: 0,
      object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations: { [NETWORKS]: 'missing' } }, spec: { containers: [] } },
    });
    const r = lintObjects([pod('a.yaml'), pod('b.yaml')]);
    expect(r.findings.map((f) => [f.file, f.object])).toEqual([['a.yaml', 'Pod p'], ['b.yaml', 'Pod p']]);
  });
});

describe('the bin', () => {
  const bin = path.join(ROOT, 'bin', 'cdk8s-nfv.js');

  test('node bin/cdk8s-nfv.js lint <fixture> runs as a child process with the exit code', () => {
    const broken = spawnSync(process.execPath, [bin, 'lint', path.join(BROKEN, 'sriov-no-resource.yaml')], { cwd: ROOT, encoding: 'utf8' });
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/sriov-no-resource\.yaml: Deployment sriov\/upf: error: 'resources\.intel\.com\/sriov_netdevice' is requested 0 time\(s\)/);
    const clean = spawnSync(process.execPath, [bin, 'lint', CLEAN], { cwd: ROOT, encoding: 'utf8' });
    expect(clean.stderr).toBe('');
    expect(clean.stdout).toBe('11 objects checked: 0 error(s), 0 warning(s)\n');
    expect(clean.status).toBe(0);
  });

  test('reads standard input with -', () => {
    const input = fs.readFileSync(path.join(ROOT, BROKEN, 'eth0-interface.yaml'), 'utf8');
    const r = spawnSync(process.execPath, [bin, 'lint', '--format', 'json', '-'], { cwd: ROOT, encoding: 'utf8', input });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.findings).toEqual([expect.objectContaining({ file: '-', object: 'Pod ifname-eth0/app', field: `metadata.annotations["${NETWORKS}"][0].interface` })]);
  });
});

describe('cdk8s-nfv lint: what cannot be read does not hide what can', () => {
  test('a folder with one unreadable file: the other files are still checked and printed, exit 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nfv-lint-partial-'));
    try {
      fs.copyFileSync(path.join(ROOT, BROKEN, 'duplicate-macs.yaml'), path.join(dir, 'a.yaml'));
      fs.writeFileSync(path.join(dir, 'b.yaml'), 'kind: [unclosed\n');
      const { code, out, err } = await lint(dir);
      expect(code).toBe(ExitCode.CANNOT_RUN);
      expect(err).toMatch(new RegExp(`^cdk8s-nfv lint: ${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/b\\.yaml: `));
      expect(out).toMatch(/02:00:00:AA:BB:01/);
      expect(out).toMatch(/^3 objects checked: 1 error\(s\), 0 warning\(s\), 1 input\(s\) not read$/m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('control characters in a file name are escaped in the read problem', async () => {
    const { err } = await lint('test/fixtures/lint/no\u001b[31mpe.yaml');
    expect(err).toBe('cdk8s-nfv lint: test/fixtures/lint/no\\u001b[31mpe.yaml: no such file or folder\n');
  });
});

describe('cdk8s-nfv lint --external: NADs that live elsewhere', () => {
  const POD = [
    'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: probe', '  namespace: nfv', '  annotations:',
    `    ${NETWORKS}: '[{"name": "macvlan-conf", "namespace": "kube-system", "interface": "net1"}]'`,
    'spec:', '  containers:', '  - name: probe', '    image: docker.io/library/busybox:1.37',
  ].join('\n');

  function withPod<T>(fn: (file: string, dir: string) => Promise<T>): Promise<T> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nfv-lint-external-'));
    fs.writeFileSync(path.join(dir, 'pod.yaml'), `${POD}\n`);
    return fn(path.join(dir, 'pod.yaml'), dir).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
  }

  test('without it, an attachment to a NAD outside the inputs is an error', () => withPod(async (file) => {
    const { code, out } = await lint(file);
    expect(code).toBe(ExitCode.FAILED);
    expect(out).toMatch(/macvlan-conf/);
    expect(out).toMatch(/declare it as an external network/);
  }));

  test('--external kube-system/macvlan-conf makes it resolve', () => withPod(async (file) => {
    const { code, out } = await lint(file, '--external', 'kube-system/macvlan-conf');
    expect(out).toBe('1 objects checked: 0 error(s), 0 warning(s)\n');
    expect(code).toBe(ExitCode.OK);
  }));

  test('--external-file declares them a line each, with comments', () => withPod(async (file, dir) => {
    const list = path.join(dir, 'external.txt');
    fs.writeFileSync(list, '# made by the SR-IOV operator\nkube-system/macvlan-conf\n\nother/x # unused\n');
    const { code, out } = await lint(file, '--external-file', list);
    expect(out).toBe('1 objects checked: 0 error(s), 0 warning(s)\n');
    expect(code).toBe(ExitCode.OK);
  }));

  test.each([
    ['macvlan-conf', 'macvlan-conf'],
    ['Kube-System/x', 'Kube-System/x'],
    ['a/b/c', 'a/b/c'],
    ['ns/', 'ns/'],
  ])('--external %s is refused in the house style with exit 2', async (value, shown) => {
    const { code, err } = await lint('--external', value, 'test/fixtures/lint/clean');
    expect(code).toBe(ExitCode.CANNOT_RUN);
    expect(err).toBe(`cdk8s-nfv: '--external' is not <namespace>/<name> of a NAD: got ${JSON.stringify(shown)}; write e.g. --external kube-system/macvlan-conf (a namespace label and a NAD name)\n`);
  });

  test('lintObjects takes the same declaration', () => {
    const { objects } = parseManifests(POD, 'pod.yaml');
    expect(lintObjects(objects).errors).toBe(1);
    expect(lintObjects(objects, { external: [{ namespace: 'kube-system', name: 'macvlan-conf' }] }).errors).toBe(0);
  });
});

describe('lint: rules shared with the constructs (lib/topology)', () => {
  const nadWith = (name: string, config: object, annotations?: Record<string, string>) => ({
    file: 'in.yaml', index: 0,
    object: { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace: 'core', ...(annotations ? { annotations } : {}) }, spec: { config: JSON.stringify(config) } },
  });

  test('an SR-IOV NAD without resourceName is an error, as the NetworkAttachmentDefinition construct refuses it', () => {
    const config = { cniVersion: '1.0.0', name: 'vf', type: 'sriov', ipam: { type: 'host-local', ranges: [[{ subnet: '10.3.0.0/24' }]] } };
    const r = lintObjects([nadWith('vf', config)]);
    expect(r.findings.map((f) => [f.severity, f.object, f.field, f.message])).toEqual([
      [Severity.ERROR, 'NetworkAttachmentDefinition core/vf', 'resourceName', 'is required for an sriov network: Multus takes the VF from the device plugin'],
    ]);
    expect(lintObjects([nadWith('vf', config, { 'k8s.v1.cni.cncf.io/resourceName': 'intel.com/sriov_netdevice' })]).findings).toEqual([]);
  });

  test('a plugin the library does not know declares the capabilities its JSON declares (what Multus reads)', () => {
    const pod = { file: 'in.yaml', index: 1, object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'core', annotations: { 'k8s.v1.cni.cncf.io/networks': JSON.stringify([{ name: 'ib', ips: ['10.8.0.5/24'], mac: '02:00:00:08:00:05' }]) } }, spec: {} } };
    const declared = lintObjects([nadWith('ib', { cniVersion: '1.0.0', name: 'ib', plugins: [{ type: 'ib-sriov', capabilities: { ips: true, mac: true } }] }), pod]);
    expect(declared.findings.filter((f) => f.object === 'Pod core/p')).toEqual([]);
    const bare = lintObjects([nadWith('ib', { cniVersion: '1.0.0', name: 'ib', plugins: [{ type: 'ib-sriov' }] }), pod]);
    expect(bare.findings.filter((f) => f.object === 'Pod core/p').map((f) => [f.severity, f.message])).toEqual([
      [Severity.ERROR, "is requested but no plugin of core/ib declares the 'ips' capability, so Multus drops it"],
      [Severity.ERROR, "is requested but no plugin of core/ib declares the 'mac' capability, so Multus drops it"],
    ]);
  });
});
