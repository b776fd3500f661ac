import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CNI_DRA_DRIVER } from '../../lib/dra/cni-dra-driver';
import { LinkType } from '../../lib/cli/dataplane';
import { CheckKind, CheckResult, VerifyReport, formatVerifyTable, verifyObjects } from '../../lib/cli/verify';
import { dataplaneTest, printSkipSummary } from '../cli/dataplane/gate';
import { BUILD_TIMEOUT_MS, describeWithToolchain, ensureToolchain } from '../util/toolchain';

/**
 * CNI 1.1 through verify's emulated engine, with the toolchain's containernetworking/plugins
 * v1.10.0 (VERSION lists 1.1.0) and Debian's 1.1.1 (it does not): STATUS before the first ADD of
 * a network on a node, GC after the run's DELs with the attachments still alive as
 * `cni.dev/valid-attachments`, leaks reported as gc rows, and where a verb cannot be sent the
 * report says which and why. Two test plugins (shell scripts of this test, run like any plugin,
 * next to the real ones) give what the real plugins do not: one that is not ready (STATUS error
 * 50), one whose DEL forgets its host-local reservation (the leak GC finds).
 */

printSkipSummary('test/real/verify-status-gc.test.ts');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-status-gc-'));
const FIXTURES = path.join(tmp, 'plugins');
const RUN_DIR = path.join(tmp, 'runs');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The first host-local on CNI_PATH (the real one), run in place of the test plugin. */
const FIND_HOST_LOCAL = 'hl=""; IFS=:; for d in $CNI_PATH; do if [ -x "$d/host-local" ]; then hl="$d/host-local"; break; fi; done';
const VERSION = 'printf \'{"cniVersion":"1.1.0","supportedVersions":["0.4.0","1.0.0","1.1.0"]}\'';
fs.mkdirSync(FIXTURES);
fs.writeFileSync(path.join(FIXTURES, 'notready'), [
  '#!/bin/sh',
  'case "$CNI_COMMAND" in',
  `VERSION) ${VERSION};;`,
  'STATUS) printf \'{"cniVersion":"1.1.0","code":50,"msg":"the plugin is not available","details":"no uplink yet"}\'; exit 1;;',
  '*) printf \'{"cniVersion":"1.1.0","code":999,"msg":"%s was called"}\' "$CNI_COMMAND"; exit 1;;',
  'esac', '',
].join('\n'), { mode: 0o755 });
/** ADD and GC are host-local's own (as the main plugin); DEL does nothing: the reservation leaks. */
fs.writeFileSync(path.join(FIXTURES, 'leaky'), [
  '#!/bin/sh', FIND_HOST_LOCAL,
  'case "$CNI_COMMAND" in',
  `VERSION) ${VERSION};;`,
  'STATUS|DEL) exit 0;;',
  '*) exec "$hl";;',
  'esac', '',
].join('\n'), { mode: 0o755 });
/** Like leaky, but its GC does nothing either: the reservation stays in the run's state. */
fs.writeFileSync(path.join(FIXTURES, 'leakier'), [
  '#!/bin/sh', FIND_HOST_LOCAL,
  'case "$CNI_COMMAND" in',
  `VERSION) ${VERSION};;`,
  'STATUS|DEL|GC) exit 0;;',
  '*) exec "$hl";;',
  'esac', '',
].join('\n'), { mode: 0o755 });

/** ADD and GC are host-local's; DEL fails: the attachment stays alive, so GC must keep its reservation. */
fs.writeFileSync(path.join(FIXTURES, 'stuck'), [
  '#!/bin/sh', FIND_HOST_LOCAL,
  'case "$CNI_COMMAND" in',
  `VERSION) ${VERSION};;`,
  'STATUS) exit 0;;',
  'DEL) printf \'{"cniVersion":"1.1.0","code":11,"msg":"device busy"}\'; exit 1;;',
  '*) exec "$hl";;',
  'esac', '',
].join('\n'), { mode: 0o755 });

const nad = (name: string, config: object) => ({
  apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace: 'lab' },
  spec: { config: JSON.stringify({ name, ...config }) },
});
const pod = (name: string, networks: string[]) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'lab', annotations: { 'k8s.v1.cni.cncf.io/networks': networks.join(',') } },
  spec: { containers: [{ name: 'c', image: 'x' }] },
});
const hostLocal = (subnet: string) => ({ type: 'host-local', ranges: [[{ subnet }]] });
const run = (docs: object[], cniPath: string[]) => verifyObjects(docs.map((object, index) => ({ file: 'status-gc.yaml', index, object })), { cniPath, runDir: RUN_DIR, tmpDir: tmp, probeUnselected: false });
const rowsOf = (r: VerifyReport, kind: CheckKind) => r.checks.filter((c) => c.check === kind).map((c) => [c.from, c.network, c.result, c.reason]);
const NEEDS = { links: [LinkType.BRIDGE, LinkType.VETH] };

describeWithToolchain('verify sends CNI 1.1 STATUS and GC with the toolchain\'s plugins v1.10.0', ['cni-plugins'], () => {
  let plugins: string;
  beforeAll(async () => {
    plugins = (await ensureToolchain(['cni-plugins']))['cni-plugins:binDir'];
  }, BUILD_TIMEOUT_MS);

  dataplaneTest('1.1.0 lists get STATUS (ready) and GC (nothing to release after clean DELs); 1.0.0 and a cniVersions list that tops at 1.0.0 are skipped with the reason; cniVersions reaching 1.1.0 counts', NEEDS, async () => {
    const r = await run([
      nad('v11', { cniVersion: '1.1.0', plugins: [{ type: 'bridge', bridge: 'br-v11', ipam: hostLocal('10.211.0.0/24') }] }),
      nad('v10', { cniVersion: '1.0.0', plugins: [{ type: 'bridge', bridge: 'br-v10', ipam: hostLocal('10.212.0.0/24') }] }),
      nad('list', { cniVersion: '1.0.0', cniVersions: ['0.4.0', '1.1.0'], plugins: [{ type: 'bridge', bridge: 'br-vl', ipam: hostLocal('10.213.0.0/24') }] }),
      nad('low', { cniVersions: ['0.4.0', '1.0.0'], cniVersion: '0.4.0', plugins: [{ type: 'bridge', bridge: 'br-vlow', ipam: hostLocal('10.214.0.0/24') }] }),
      pod('a', ['v11', 'v10', 'list', 'low']), pod('b', ['v11', 'v10', 'list', 'low']),
    ], [plugins]);
    expect(rowsOf(r, CheckKind.ATTACH).map((x) => x[2])).toEqual(Array(8).fill(CheckResult.PASSED));
    expect([r.failed, r.unsupported, r.leftovers]).toEqual([0, 0, []]);
    expect(rowsOf(r, CheckKind.GC)).toEqual([]);
    expect(r.verbs).toEqual([
      { verb: 'STATUS', network: 'NetworkAttachmentDefinition lab/v11', sent: true, detail: 'ready' },
      { verb: 'STATUS', network: 'NetworkAttachmentDefinition lab/v10', sent: false, detail: 'cniVersion "1.0.0" has no STATUS or GC (CNI 1.1.0 added them)' },
      { verb: 'STATUS', network: 'NetworkAttachmentDefinition lab/list', sent: true, detail: 'ready' },
      { verb: 'STATUS', network: 'NetworkAttachmentDefinition lab/low', sent: false, detail: 'cniVersion "1.0.0" (cniVersions ["0.4.0","1.0.0"]) has no STATUS or GC (CNI 1.1.0 added them)' },
      { verb: 'GC', network: 'NetworkAttachmentDefinition lab/v11', sent: true, detail: 'nothing to release' },
      { verb: 'GC', network: 'NetworkAttachmentDefinition lab/v10', sent: false, detail: 'cniVersion "1.0.0" has no STATUS or GC (CNI 1.1.0 added them)' },
      { verb: 'GC', network: 'NetworkAttachmentDefinition lab/list', sent: true, detail: 'nothing to release' },
      { verb: 'GC', network: 'NetworkAttachmentDefinition lab/low', sent: false, detail: 'cniVersion "1.0.0" (cniVersions ["0.4.0","1.0.0"]) has no STATUS or GC (CNI 1.1.0 added them)' },
    ]);
    expect(formatVerifyTable(r).split('\n').slice(-6)).toEqual([
      '12 checks: 12 passed, 0 failed, 0 unsupported here (2 pods, 8 attachments, 1 node)',
      'STATUS sent to 2 networks (ready): NetworkAttachmentDefinition lab/v11, NetworkAttachmentDefinition lab/list',
      'STATUS and GC not sent to 1 network (cniVersion "1.0.0" has no STATUS or GC (CNI 1.1.0 added them)): NetworkAttachmentDefinition lab/v10',
      'STATUS and GC not sent to 1 network (cniVersion "1.0.0" (cniVersions ["0.4.0","1.0.0"]) has no STATUS or GC (CNI 1.1.0 added them)): NetworkAttachmentDefinition lab/low',
      'GC sent to 2 networks (nothing to release): NetworkAttachmentDefinition lab/v11, NetworkAttachmentDefinition lab/list',
      '',
    ]);
  }, 120_000);

  dataplaneTest('a plugin that is not ready: its attachments FAIL with its STATUS error and ADD never runs; the other network of the pod still attaches', NEEDS, async () => {
    const r = await run([
      nad('sick', { cniVersion: '1.1.0', plugins: [{ type: 'notready' }] }),
      nad('fine', { cniVersion: '1.1.0', plugins: [{ type: 'bridge', bridge: 'br-fine', ipam: hostLocal('10.215.0.0/24') }] }),
      pod('a', ['sick', 'fine']), pod('b', ['sick']),
    ], [FIXTURES, plugins]);
    const why = 'STATUS notready (plugins[0]): error 50: the plugin is not available (no uplink yet); ADD not run (the plugin says it is not ready)';
    expect(rowsOf(r, CheckKind.ATTACH)).toEqual([
      ['lab/a:net1', 'sick', CheckResult.FAILED, why],
      ['lab/a:net2', 'fine', CheckResult.PASSED, '10.215.0.2/24'],
      ['lab/b:net1', 'sick', CheckResult.FAILED, why],
    ]);
    // no ADD ran for it, so neither DEL nor GC: no detach row, no gc row, GC not noted for it
    expect(r.checks.filter((c) => c.check !== CheckKind.ATTACH)).toEqual([]);
    expect(r.verbs).toEqual([
      { verb: 'STATUS', network: 'NetworkAttachmentDefinition lab/sick', sent: true, detail: 'STATUS notready (plugins[0]): error 50: the plugin is not available (no uplink yet)' },
      { verb: 'STATUS', network: 'NetworkAttachmentDefinition lab/fine', sent: true, detail: 'ready' },
      { verb: 'GC', network: 'NetworkAttachmentDefinition lab/fine', sent: true, detail: 'nothing to release' },
    ]);
  }, 120_000);

  dataplaneTest('leaks: GC releases what a DEL forgot (a gc row naming it); a reservation GC keeps too is found in the run\'s state (a gc row); a cni-dra-driver claim gets the same', NEEDS, async () => {
    const claimTemplate = {
      apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaimTemplate', metadata: { name: 'leak-claim', namespace: 'lab' },
      spec: { spec: { devices: { requests: [{ name: 'r', exactly: { deviceClassName: 'cni.networking.x-k8s.io' } }], config: [{ opaque: { driver: CNI_DRA_DRIVER, parameters: {
        apiVersion: 'cni.networking.x-k8s.io/v1alpha1', kind: 'CNI', ifName: 'dra1', config: { cniVersion: '1.1.0', name: 'leak3', plugins: [{ type: 'leaky', ipam: hostLocal('10.218.0.0/24') }] },
      } } }] } } },
    };
    const r = await run([
      nad('leak1', { cniVersion: '1.1.0', plugins: [{ type: 'leaky', ipam: hostLocal('10.216.0.0/24') }] }),
      nad('leak2', { cniVersion: '1.1.0', plugins: [{ type: 'leakier', ipam: hostLocal('10.217.0.0/24') }] }),
      claimTemplate,
      { ...pod('a', ['leak1', 'leak2']), spec: { containers: [{ name: 'c', image: 'x' }], resourceClaims: [{ name: 'c', resourceClaimTemplateName: 'leak-claim' }] } },
    ], [FIXTURES, plugins]);
    expect(rowsOf(r, CheckKind.ATTACH)).toEqual([
      ['lab/a:net1', 'leak1', CheckResult.PASSED, '10.216.0.2/24'],
      ['lab/a:net2', 'leak2', CheckResult.PASSED, '10.217.0.2/24'],
      ['lab/a:dra1', 'leak3', CheckResult.PASSED, '10.218.0.2/24'],
    ]);
    expect(rowsOf(r, CheckKind.GC)).toEqual([
      ['node0', 'leak1', CheckResult.FAILED, 'NetworkAttachmentDefinition lab/leak1: GC released state the run\'s DEL left behind (a leak): host-local/leak1/10.216.0.2'],
      ['node0', 'leak2', CheckResult.FAILED, 'NetworkAttachmentDefinition lab/leak2: host-local reservations left in the run\'s state after DEL and GC (a leak): host-local/leak2/10.217.0.2'],
      ['node0', 'leak3', CheckResult.FAILED, 'ResourceClaimTemplate lab/leak-claim request r: GC released state the run\'s DEL left behind (a leak): host-local/leak3/10.218.0.2'],
    ]);
    expect(r.verbs!.filter((n) => n.verb === 'GC')).toEqual([
      { verb: 'GC', network: 'NetworkAttachmentDefinition lab/leak1', sent: true, detail: 'released 1 leaked state file(s)' },
      { verb: 'GC', network: 'NetworkAttachmentDefinition lab/leak2', sent: true, detail: 'nothing to release' },
      { verb: 'GC', network: 'ResourceClaimTemplate lab/leak-claim request r', sent: true, detail: 'released 1 leaked state file(s)' },
    ]);
    expect([r.failed, r.leftovers]).toEqual([3, []]);
  }, 120_000);

  dataplaneTest('two nodes: STATUS and GC per node (each node keeps its own plugin state); the leak of each node is its own row', NEEDS, async () => {
    const r = await verifyObjects([
      nad('leak4', { cniVersion: '1.1.0', plugins: [{ type: 'leaky', ipam: hostLocal('10.221.0.0/24') }] }),
      pod('a', ['leak4']), pod('b', ['leak4']),
    ].map((object, index) => ({ file: 'status-gc.yaml', index, object })), { cniPath: [FIXTURES, plugins], runDir: RUN_DIR, tmpDir: tmp, probeUnselected: false, nodes: 2 });
    // host-local allocates per node: both pods get the first address of the range
    expect(rowsOf(r, CheckKind.ATTACH)).toEqual([
      ['lab/a:net1', 'leak4', CheckResult.PASSED, '10.221.0.2/24'],
      ['lab/b:net1', 'leak4', CheckResult.PASSED, '10.221.0.2/24'],
    ]);
    expect(rowsOf(r, CheckKind.GC)).toEqual([
      ['node0', 'leak4', CheckResult.FAILED, 'NetworkAttachmentDefinition lab/leak4: GC released state the run\'s DEL left behind (a leak): host-local/leak4/10.221.0.2'],
      ['node1', 'leak4', CheckResult.FAILED, 'NetworkAttachmentDefinition lab/leak4: GC released state the run\'s DEL left behind (a leak): host-local/leak4/10.221.0.2'],
    ]);
    expect(r.verbs).toEqual([
      { verb: 'STATUS', network: 'NetworkAttachmentDefinition lab/leak4', sent: true, detail: 'ready' },
      { verb: 'GC', network: 'NetworkAttachmentDefinition lab/leak4', sent: true, detail: 'released 1 leaked state file(s)' },
    ]);
  }, 120_000);

  dataplaneTest('an attachment whose DEL failed is still alive: GC gets it in cni.dev/valid-attachments and keeps its reservation (no leak row, the detach row says why)', NEEDS, async () => {
    const r = await run([
      nad('stuck', { cniVersion: '1.1.0', plugins: [{ type: 'stuck', ipam: hostLocal('10.220.0.0/24') }] }),
      pod('a', ['stuck']),
    ], [FIXTURES, plugins]);
    expect(rowsOf(r, CheckKind.ATTACH)).toEqual([['lab/a:net1', 'stuck', CheckResult.PASSED, '10.220.0.2/24']]);
    expect(rowsOf(r, CheckKind.DETACH)).toEqual([['lab/a:net1', 'stuck', CheckResult.FAILED, 'DEL stuck: device busy']]);
    expect(rowsOf(r, CheckKind.GC)).toEqual([]);
    expect(r.verbs!.filter((n) => n.verb === 'GC')).toEqual([{ verb: 'GC', network: 'NetworkAttachmentDefinition lab/stuck', sent: true, detail: 'nothing to release' }]);
    expect(r.leftovers).toEqual([]);
  }, 120_000);

  dataplaneTest('Debian\'s plugins 1.1.1 get no STATUS or GC even for a 1.1.0 list (their VERSION has no 1.1.0): the note names the plugin; their ADD\'s own answer is the row', { plugins: ['bridge', 'host-local'], ...NEEDS }, async () => {
    const r = await run([
      nad('v11', { cniVersion: '1.1.0', plugins: [{ type: 'bridge', bridge: 'br-deb', ipam: hostLocal('10.219.0.0/24') }] }),
      pod('a', ['v11']),
    ], ['/usr/lib/cni']);
    const why = 'plugin "bridge" in /usr/lib/cni supports CNI up to 1.0.0, not 1.1.0 (its VERSION answer)';
    expect(r.verbs).toEqual([
      { verb: 'STATUS', network: 'NetworkAttachmentDefinition lab/v11', sent: false, detail: why },
      { verb: 'GC', network: 'NetworkAttachmentDefinition lab/v11', sent: false, detail: why },
    ]);
    expect(rowsOf(r, CheckKind.ATTACH)).toEqual([
      ['lab/a:net1', 'v11', CheckResult.FAILED, 'ADD bridge (plugins[0]): incompatible CNI versions (config is "1.1.0", plugin supports ["0.1.0" "0.2.0" "0.3.0" "0.3.1" "0.4.0" "1.0.0"])'],
    ]);
  }, 120_000);
});
