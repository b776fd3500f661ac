import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { ExitCode, run as cli } from '../../lib/cli/main';
import { FiveGDraChart } from '../../examples/five-g-dra/chart';
import { AttachmentRendering } from '../../lib/attachment-rendering';
import { CNI_DRA_DRIVER } from '../../lib/dra/cni-dra-driver';
import { LinkType, listNetns, show } from '../../lib/cli/dataplane';
import { CheckKind, CheckResult, VerifyReport, formatVerifyTable, verifyObjects } from '../../lib/cli/verify';
import { multusEngine } from '../../lib/cli/verify/multus-engine';
import { ControlPlane } from '../../lib/toolchain/control-plane';
import { BUILD_TIMEOUT_MS, describeWithToolchain, ensureToolchain, startTestControlPlane } from '../util/toolchain';
import { dataplaneTest, printSkipSummary } from '../cli/dataplane/gate';

/**
 * The DRA rendering's delegate configs pass verify (issue 17): the 5G example synthesized in its
 * cni-dra-driver rendering is run as root with the real plugins (Debian's 1.1.1 in /usr/lib/cni,
 * what the example's nodes have): every claim is an attachment that passes, its peers on each
 * network reach each other, nothing is left behind. Then hostile claims next to a good one in one
 * run: each ends as its own exact row, nothing runs that an input smuggled in, nothing is written
 * outside the run.
 */

printSkipSummary('test/real/verify-dra.test.ts');

const DEBIAN = ['/usr/lib/cni'];
const NEEDS = { plugins: ['macvlan', 'bridge', 'static', 'host-local'], links: [LinkType.MACVLAN, LinkType.BRIDGE, LinkType.VETH] };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-dra-'));
const RUN_DIR = path.join(tmp, 'runs');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const attachRows = (r: VerifyReport) => r.checks.filter((c) => c.check === CheckKind.ATTACH).map((c) => [c.from, c.network, c.result, c.reason]);

describe('verify of the 5G example in its DRA rendering (cni-dra-driver claims), real plugins', () => {
  let report: VerifyReport | undefined;
  let netnsBefore: string[] = [];

  dataplaneTest('every claim\'s delegate config passes ADD with its interface and addresses, every pair on a network reaches, DEL and teardown leave nothing', NEEDS, async () => {
    netnsBefore = listNetns();
    const objects = Testing.synth(new FiveGDraChart(Testing.app(), 'five-g-dra')).map((object, index) => ({ file: 'five-g-dra.yaml', index, object }));
    report = await verifyObjects(objects, { cniPath: DEBIAN, runDir: RUN_DIR });
    process.stderr.write(`[verify-dra] ${formatVerifyTable(report)}`);
    expect(attachRows(report)).toEqual([
      ['fivegc-cp/amf:n2', 'n2', CheckResult.PASSED, '10.2.0.10/24'],
      ['fivegc-cp/smf:n4', 'n4', CheckResult.PASSED, '10.4.0.10/24'],
      ['fivegc-up/upf-0:n3', 'n3', CheckResult.PASSED, '10.3.0.20/24'],
      ['fivegc-up/upf-0:n4', 'n4', CheckResult.PASSED, '10.4.0.20/24'],
      ['fivegc-up/upf-0:n6', 'n6', CheckResult.PASSED, '10.6.0.20/24'],
      ['fivegc-up/upf-1:n3', 'n3', CheckResult.PASSED, '10.3.0.21/24'],
      ['fivegc-up/upf-1:n4', 'n4', CheckResult.PASSED, '10.4.0.21/24'],
      ['fivegc-up/upf-1:n6', 'n6', CheckResult.PASSED, '10.6.0.21/24'],
      ['ran/gnb-sim:n2', 'n2', CheckResult.PASSED, '10.2.0.50/24'],
      ['ran/gnb-sim:n3', 'n3', CheckResult.PASSED, '10.3.0.50/24'],
    ]);
    const reach = report.checks.filter((c) => c.check === CheckKind.REACH);
    expect(reach.map((c) => [c.from, c.to, c.result])).toEqual([
      ['fivegc-cp/amf:n2 10.2.0.10/24', 'ran/gnb-sim:n2 10.2.0.50/24', CheckResult.PASSED],
      ['fivegc-cp/smf:n4 10.4.0.10/24', 'fivegc-up/upf-0:n4 10.4.0.20/24', CheckResult.PASSED],
      ['fivegc-cp/smf:n4 10.4.0.10/24', 'fivegc-up/upf-1:n4 10.4.0.21/24', CheckResult.PASSED],
      ['fivegc-up/upf-0:n4 10.4.0.20/24', 'fivegc-up/upf-1:n4 10.4.0.21/24', CheckResult.PASSED],
      ['fivegc-up/upf-0:n3 10.3.0.20/24', 'fivegc-up/upf-1:n3 10.3.0.21/24', CheckResult.PASSED],
      ['fivegc-up/upf-0:n3 10.3.0.20/24', 'ran/gnb-sim:n3 10.3.0.50/24', CheckResult.PASSED],
      ['fivegc-up/upf-1:n3 10.3.0.21/24', 'ran/gnb-sim:n3 10.3.0.50/24', CheckResult.PASSED],
      ['fivegc-up/upf-0:n6 10.6.0.20/24', 'fivegc-up/upf-1:n6 10.6.0.21/24', CheckResult.PASSED],
    ]);
    expect([report.failed, report.unsupported, report.attachments, report.pods, report.leftovers]).toEqual([0, 0, 10, 5, []]);
    // the example's configs are cniVersion 1.0.0: STATUS and GC are not sent, and the report says why (never as passed)
    const why = 'cniVersion "1.0.0" has no STATUS or GC (CNI 1.1.0 added them)';
    expect(report.verbs!.filter((n) => n.sent)).toEqual([]);
    expect(new Set(report.verbs!.map((n) => n.detail))).toEqual(new Set([why]));
    expect(report.verbs!.filter((n) => n.verb === 'STATUS').map((n) => n.network)).toEqual([
      'ResourceClaimTemplate fivegc-cp/amf-n2 request n2', 'ResourceClaimTemplate fivegc-cp/smf-n4 request n4',
      'ResourceClaimTemplate fivegc-up/upf-0-n3 request n3', 'ResourceClaimTemplate fivegc-up/upf-0-n4 request n4', 'ResourceClaimTemplate fivegc-up/upf-0-n6 request n6',
      'ResourceClaimTemplate fivegc-up/upf-1-n3 request n3', 'ResourceClaimTemplate fivegc-up/upf-1-n4 request n4', 'ResourceClaimTemplate fivegc-up/upf-1-n6 request n6',
      'ResourceClaimTemplate ran/gnb-sim-n2 request n2', 'ResourceClaimTemplate ran/gnb-sim-n3 request n3',
    ]);
    expect(formatVerifyTable(report)).toContain(`STATUS and GC not sent to 10 networks (${why}): ResourceClaimTemplate fivegc-cp/amf-n2 request n2, `);
    expect(listNetns().filter((n) => !netnsBefore.includes(n))).toEqual([]);
  }, 180_000);
});

describe('verify of the 5G example in its SR-IOV DRA rendering (N3 on VFs), real plugins', () => {
  dataplaneTest('the cni-dra-driver claims pass; the SR-IOV claims are unsupported here with why (never passed); their NADs are not probed', NEEDS, async () => {
    const objects = Testing.synth(new FiveGDraChart(Testing.app(), 'five-g-sriov', { rendering: AttachmentRendering.DRA_SRIOV })).map((object, index) => ({ file: 'five-g-sriov.yaml', index, object }));
    const report = await verifyObjects(objects, { cniPath: DEBIAN, runDir: RUN_DIR });
    const vf = (o: string) => `ResourceClaimTemplate ${o}: 'spec.spec.devices.config[0].opaque.driver' is "sriovnetwork.k8snetworkplumbingwg.io": the SR-IOV DRA driver gives the pod a virtual function of an SR-IOV NIC, which verify does not emulate`;
    expect(attachRows(report)).toEqual([
      ['fivegc-cp/amf:n2', 'n2', CheckResult.PASSED, '10.2.0.10/24'],
      ['fivegc-cp/smf:n4', 'n4', CheckResult.PASSED, '10.4.0.10/24'],
      ['fivegc-up/upf-0:n3', 'n3', CheckResult.UNSUPPORTED, vf('fivegc-up/upf-0-n3')],
      ['fivegc-up/upf-0:n4', 'n4', CheckResult.PASSED, '10.4.0.20/24'],
      ['fivegc-up/upf-0:n6', 'n6', CheckResult.PASSED, '10.6.0.20/24'],
      ['fivegc-up/upf-1:n3', 'n3', CheckResult.UNSUPPORTED, vf('fivegc-up/upf-1-n3')],
      ['fivegc-up/upf-1:n4', 'n4', CheckResult.PASSED, '10.4.0.21/24'],
      ['fivegc-up/upf-1:n6', 'n6', CheckResult.PASSED, '10.6.0.21/24'],
      ['ran/gnb-sim:n2', 'n2', CheckResult.PASSED, '10.2.0.50/24'],
      ['ran/gnb-sim:n3', 'n3', CheckResult.UNSUPPORTED, vf('ran/gnb-sim-n3')],
    ]);
    expect([report.failed, report.unsupported, report.leftovers]).toEqual([0, 3, []]);
  }, 180_000);
});

describe('cdk8s-nfv verify on the 5G DRA rendering\'s YAML (the command, emulated engine)', () => {
  dataplaneTest('exit 0; the JSON report holds the ten claim attachments and the STATUS/GC notes; the text names the notes', NEEDS, async () => {
    const file = path.join(tmp, 'five-g-dra.yaml');
    fs.writeFileSync(file, Testing.synth(new FiveGDraChart(Testing.app(), 'five-g-dra')).map((o) => YAML.stringify(o)).join('---\n'));
    const call = async (args: string[]) => {
      let out = '';
      let err = '';
      const code = await cli(['verify', file, '--engine', 'emulated', '--cni-path', DEBIAN.join(':'), ...args], { out: (t) => { out += t; }, err: (t) => { err += t; } });
      return { code, out, err };
    };
    const json = await call(['--format', 'json']);
    expect(json.code).toBe(ExitCode.OK);
    const report = JSON.parse(json.out) as VerifyReport;
    expect(report.checks.filter((c) => c.check === CheckKind.ATTACH).map((c) => `${c.from} ${c.result}`)).toEqual([
      'fivegc-cp/amf:n2 passed', 'fivegc-cp/smf:n4 passed', 'fivegc-up/upf-0:n3 passed', 'fivegc-up/upf-0:n4 passed', 'fivegc-up/upf-0:n6 passed',
      'fivegc-up/upf-1:n3 passed', 'fivegc-up/upf-1:n4 passed', 'fivegc-up/upf-1:n6 passed', 'ran/gnb-sim:n2 passed', 'ran/gnb-sim:n3 passed',
    ]);
    expect(report.verbs!.map((n) => `${n.verb} ${n.sent}`)).toEqual([...Array(10).fill('STATUS false'), ...Array(10).fill('GC false')]);
    const text = await call([]);
    expect(text.code).toBe(ExitCode.OK);
    expect(text.out).toMatch(/^18 checks: 18 passed, 0 failed, 0 unsupported here \(5 pods, 10 attachments, 1 node\)$/m);
    expect(text.out).toMatch(/^STATUS and GC not sent to 10 networks \(cniVersion "1\.0\.0" has no STATUS or GC \(CNI 1\.1\.0 added them\)\): ResourceClaimTemplate fivegc-cp\/amf-n2 request n2, /m);
  }, 180_000);
});

describe('verify of hostile cni-dra-driver claims next to a good one, real plugins', () => {
  const CANARY_DIR = path.join(tmp, 'canary');
  const ESCAPE = path.join(tmp, 'escape');
  fs.mkdirSync(CANARY_DIR);
  const CANARY = path.join(CANARY_DIR, 'pwned');
  const params = (ifName: unknown, config: unknown) => ({ apiVersion: 'cni.networking.x-k8s.io/v1alpha1', kind: 'CNI', ifName, config });
  const list = (name: string, plugins: object[]) => ({ cniVersion: '1.0.0', name, plugins });
  const hostLocal = (subnet: string) => ({ type: 'host-local', ranges: [[{ subnet }]] });
  const template = (name: string, parameters: unknown, count = 1) => ({
    apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaimTemplate', metadata: { name, namespace: 'lab' },
    spec: { spec: { devices: { requests: [{ name: 'r', exactly: { deviceClassName: 'cni.networking.x-k8s.io', allocationMode: 'ExactCount', count } }], config: [{ opaque: { driver: CNI_DRA_DRIVER, parameters } }] } } },
  });
  const pod = (name: string, templates: string[]) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'lab' },
    spec: { containers: [{ name: 'c', image: 'x' }], resourceClaims: templates.map((t, i) => ({ name: `c${i}`, resourceClaimTemplateName: t })) },
  });
  // host-local keeps reservations in <dataDir>/<network name>: a name climbing out of the run's dataDir would land in ESCAPE
  const evilName = `../../../../../../../../..${ESCAPE}`;
  const evilIfname = `x\nnetns exec x touch ${CANARY}`;
  const evilType = `$(touch ${CANARY})`;

  dataplaneTest('each bad claim is its own exact row, the good claims pass and reach, no canary, nothing written outside the run', NEEDS, async () => {
    const docs = [
      template('good', params('good0', list('good', [{ type: 'bridge', bridge: 'br-dgood', ipam: hostLocal('10.201.0.0/24') }]))),
      template('evil-ifname', params(evilIfname, list('evil', [{ type: 'bridge', bridge: 'br-devil' }]))),
      template('evil-name', params('n1', list(evilName, [{ type: 'bridge', bridge: 'br-dname', ipam: hostLocal('10.202.0.0/24') }]))),
      template('evil-type', params('n1', list('t', [{ type: evilType }]))),
      template('evil-sysctl', params('n1', list('s', [{ type: 'bridge', bridge: 'br-dsys' }, { type: 'tuning', sysctl: { 'kernel.core_pattern': `|/bin/sh -c 'touch ${CANARY}'` } }]))),
      template('twice', params('n1', list('twice', [{ type: 'bridge', bridge: 'br-dtwice' }])), 2),
      pod('a', ['good', 'evil-ifname', 'evil-name', 'evil-type', 'evil-sysctl', 'twice']),
      pod('b', ['good']),
    ];
    const report = await verifyObjects(docs.map((object, index) => ({ file: 'hostile-claims.yaml', index, object })), { cniPath: DEBIAN, runDir: RUN_DIR, tmpDir: tmp });
    expect(attachRows(report)).toEqual([
      ['lab/a:good0', 'good', CheckResult.PASSED, '10.201.0.2/24'],
      ['lab/a:?', 'r', CheckResult.FAILED, `ResourceClaimTemplate lab/evil-ifname: 'spec.spec.devices.config[0].opaque.parameters.ifName' is not a valid link name: got ${show(evilIfname)}; use a Linux interface name of at most 15 characters from [A-Za-z0-9_.-]`],
      ['lab/a:n1', 'r', CheckResult.FAILED, `ResourceClaimTemplate lab/evil-name: 'spec.spec.devices.config[0].opaque.parameters.config.name' is not a network name libcni accepts: got ${show(evilName)}; use letters, digits, '_', '.', '-' (libcni refuses the ADD: invalid characters found in network name)`],
      ['lab/a:n1', 'r', CheckResult.FAILED, `ResourceClaimTemplate lab/evil-type: 'spec.spec.devices.config[0].opaque.parameters.config.plugins[0].type' is not a plugin binary name: got ${show(evilType)}; name a binary of the CNI plugin directory (letters, digits, '_', '.', '+', '-'; no path)`],
      ['lab/a:n1', 'r', CheckResult.FAILED, 'ResourceClaimTemplate lab/evil-sysctl: \'spec.spec.devices.config[0].opaque.parameters.config.plugins[1].sysctl\' is not a network sysctl: got "kernel.core_pattern"; name a net.* sysctl of the pod namespace, e.g. net.ipv4.conf.IFNAME.arp_notify'],
      ['lab/a:?', 'r', CheckResult.FAILED, 'ResourceClaimTemplate lab/twice: \'spec.spec.devices.requests[0].exactly.count\' must be 1 for a cni-dra-driver request (one interface per request): got 2; ask for one device per interface'],
      ['lab/b:good0', 'good', CheckResult.PASSED, '10.201.0.3/24'],
    ]);
    expect(report.checks.filter((c) => c.check === CheckKind.REACH).map((c) => [c.from, c.to, c.result])).toEqual([
      ['lab/a:good0 10.201.0.2/24', 'lab/b:good0 10.201.0.3/24', CheckResult.PASSED],
    ]);
    expect([report.failed, report.unsupported, report.leftovers]).toEqual([5, 0, []]);
    expect(fs.existsSync(CANARY)).toBe(false);
    expect(fs.existsSync(ESCAPE)).toBe(false);
    expect(fs.readdirSync(RUN_DIR)).toEqual([]);
  }, 180_000);
});

describeWithToolchain('the 5G DRA rendering through verify --engine multus: the claims run beside Multus as the driver runs them, with the same rows', ['etcd', 'kube-apiserver', 'multus'], () => {
  let cp: ControlPlane;
  let multus: string;
  beforeAll(async () => {
    multus = (await ensureToolchain(['multus'])).multus;
    cp = await startTestControlPlane();
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await cp?.stop();
  });

  dataplaneTest('every row and STATUS/GC note equals the emulated engine\'s', { ...NEEDS, plugins: [...NEEDS.plugins, 'ptp'] }, async () => {
    const objects = Testing.synth(new FiveGDraChart(Testing.app(), 'five-g-dra')).map((object, index) => ({ file: 'five-g-dra.yaml', index, object }));
    const emulated = await verifyObjects(objects, { cniPath: DEBIAN, runDir: RUN_DIR });
    const real = await verifyObjects(objects, { cniPath: DEBIAN, runDir: RUN_DIR, engine: multusEngine({ multus, apiServer: cp }) });
    expect(real.checks).toEqual(emulated.checks);
    expect([real.passed, real.failed, real.unsupported, real.leftovers]).toEqual([18, 0, 0, []]);
    expect(real.verbs).toEqual(emulated.verbs);
  }, 300_000);
});
