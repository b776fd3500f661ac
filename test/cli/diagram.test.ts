import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { diagramOfManifests, drawManifests } from '../../lib/cli/diagram';
import { run } from '../../lib/cli/main';
import { ManifestObject, parseManifests } from '../../lib/cli/manifests';
import { PluginsProfile } from '../../lib/cni/profile';
import { Diagram, buildDiagram } from '../../lib/diagram/model';
import { DiagramFormat, renderDiagram, toDot, toMermaid } from '../../lib/diagram/render';
import { PreinstalledCniPlugins } from '../../lib/installers/inventory';
import { IpamMode, Network, NetworkPlugin } from '../../lib/network';
import { NetworkFunction } from '../../lib/network-function';
import { topologyDiagram } from '../../lib/topology-diagram';

const nad = (name: string, namespace: string, config: object, annotations?: object) => ({
  apiVersion: 'k8s.cni.cncf.io/v1',
  kind: 'NetworkAttachmentDefinition',
  metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
  spec: { config: JSON.stringify({ cniVersion: '1.0.0', name, ...config }) },
});

const MGMT = { plugins: [{ type: 'bridge', bridge: 'br-mgmt', ipam: { type: 'host-local', ranges: [[{ subnet: '192.168.50.0/24' }]] } }] };

/** A small topology as Kubernetes objects: four NADs (one network in two namespaces), three workloads. */
function smallObjects(): any[] {
  return [
    nad('data', 'a', { plugins: [{ type: 'macvlan', master: 'eth1', mode: 'bridge', capabilities: { ips: true }, ipam: { type: 'static' } }] }),
    nad('trunk100', 'a', { plugins: [{ type: 'vlan', master: 'eth2', vlanId: 100, ipam: { type: 'host-local', ranges: [[{ subnet: '10.100.0.0/24' }]] } }] }),
    nad('mgmt', 'a', MGMT),
    nad('mgmt', 'b', MGMT),
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'router', namespace: 'a' },
      spec: {
        replicas: 1,
        template: {
          metadata: {
            annotations: {
              'k8s.v1.cni.cncf.io/networks': JSON.stringify([
                { name: 'data', interface: 'data0', ips: ['10.10.0.10/24'] },
                { name: 'trunk100', interface: 'vl100' },
                { name: 'mgmt', interface: 'mgmt0', 'default-route': ['192.168.50.1'] },
              ]),
            },
          },
          spec: { containers: [{ name: 'r', image: 'x/y:1' }] },
        },
      },
    },
    {
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'probe', namespace: 'b' },
      spec: { template: { metadata: { annotations: { 'k8s.v1.cni.cncf.io/networks': 'mgmt@mon0' } }, spec: { containers: [{ name: 'p', image: 'x/y:1' }] } } },
    },
    {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lonely', namespace: 'c' },
      spec: { containers: [{ name: 'p', image: 'x/y:1' }] },
    },
    {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'tester', namespace: 'c', annotations: { 'k8s.v1.cni.cncf.io/networks': 'b/mgmt,missing' } },
      spec: { containers: [{ name: 't', image: 'x/y:1' }] },
    },
  ];
}

function asManifests(objects: any[], file = 'test.yaml'): ManifestObject[] {
  return objects.map((object, index) => ({ file, index, object }));
}

function net(d: Diagram, name: string) {
  const found = d.networks.filter((n) => n.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

function fn(d: Diagram, name: string) {
  const found = d.functions.filter((f) => f.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

/** The text of every `<text>` element of an SVG, entities decoded. */
function textsOf(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]
    .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
}

/** Checks that every tag opened is closed, in order (comments and the prolog skipped). */
function expectWellFormedXml(text: string): void {
  const stack: string[] = [];
  const body = text.replace(/<!--[\s\S]*?-->/g, '');
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:.-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (closing) expect(stack.pop()).toBe(name);
    else stack.push(name);
  }
  expect(stack).toEqual([]);
}

describe('diagram model from manifests', () => {
  const d = diagramOfManifests(asManifests(smallObjects()));

  test('one node per network: the NADs of one network in two namespaces are one node', () => {
    expect(d.networks.map((n) => n.name)).toEqual(['data', 'mgmt', 'missing', 'trunk100']);
    expect(net(d, 'mgmt').namespaces).toEqual(['a', 'b']);
  });

  test('network nodes carry plugin, uplink, VLAN, subnets and IPAM', () => {
    expect(net(d, 'data')).toMatchObject({ plugins: ['macvlan'], uplink: 'master eth1', ipam: 'static', subnets: ['10.10.0.0/24'], external: false });
    expect(net(d, 'trunk100')).toMatchObject({ plugins: ['vlan'], uplink: 'master eth2', vlan: 100, subnets: ['10.100.0.0/24'], ipam: 'host-local' });
    expect(net(d, 'mgmt')).toMatchObject({ plugins: ['bridge'], uplink: 'bridge br-mgmt', subnets: ['192.168.50.0/24'] });
  });

  test('a NAD referenced but not among the inputs is drawn as external', () => {
    expect(net(d, 'missing')).toMatchObject({ external: true, namespaces: ['c'], plugins: [] });
  });

  test('function nodes: kind, name, namespace, replicas; workloads without attachments are left out', () => {
    expect(d.functions.map((f) => `${f.kind} ${f.namespace}/${f.name}`)).toEqual(['Deployment a/router', 'DaemonSet b/probe', 'Pod c/tester']);
    expect(fn(d, 'router').replicas).toBe(1);
    expect(fn(d, 'probe').replicas).toBeUndefined();
  });

  test('one edge per attachment with interface and addresses, in annotation order', () => {
    const router = fn(d, 'router').id;
    const edges = d.edges.filter((e) => e.from === router);
    expect(edges.map((e) => [d.networks.find((n) => n.id === e.to)!.name, e.interface, e.addresses, e.defaultRoute])).toEqual([
      ['data', 'data0', ['10.10.0.10/24'], false],
      ['trunk100', 'vl100', [], false],
      ['mgmt', 'mgmt0', [], true],
    ]);
    const tester = d.edges.filter((e) => e.from === fn(d, 'tester').id);
    expect(tester.map((e) => e.interface)).toEqual(['net1', 'net2']);
    expect(tester[0].to).toBe(net(d, 'mgmt').id);
    expect(d.edges.find((e) => e.from === fn(d, 'probe').id)).toMatchObject({ interface: 'mon0', to: net(d, 'mgmt').id });
  });

  test('NADs of one name with different configs stay two nodes', () => {
    const other = nad('mgmt', 'b', { plugins: [{ type: 'bridge', bridge: 'br-other' }] });
    const d2 = diagramOfManifests(asManifests([nad('mgmt', 'a', MGMT), other]));
    expect(d2.networks.map((n) => [n.name, n.namespaces, n.uplink])).toEqual([
      ['mgmt', ['a'], 'bridge br-mgmt'],
      ['mgmt', ['b'], 'bridge br-other'],
    ]);
  });

  test('a config the typed model rejects is still drawn from its JSON', () => {
    const bad = nad('odd', 'a', { plugins: [{ type: 'macvlan', master: 'eth9', mode: 'sideways' }] });
    expect(net(diagramOfManifests(asManifests([bad])), 'odd')).toMatchObject({ plugins: ['macvlan'], uplink: 'master eth9' });
  });

  test('the default-network override is an edge marked as such', () => {
    const pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a', annotations: { 'v1.multus-cni.io/default-network': 'kube-system/cluster' } },
      spec: { containers: [{ name: 'c', image: 'x/y:1' }] },
    };
    const d3 = diagramOfManifests(asManifests([nad('cluster', 'kube-system', MGMT), pod]));
    expect(d3.edges).toEqual([expect.objectContaining({ interface: 'eth0', defaultNetwork: true, to: net(d3, 'cluster').id })]);
    expect(toDot(d3)).toContain('eth0 (default network)');
  });
});

describe('rendering', () => {
  const d = diagramOfManifests(asManifests(smallObjects()));

  test('mermaid: a flowchart with every network, function, interface and address', () => {
    const text = toMermaid(d);
    expect(text).toMatch(/^---\ntitle: "Networks and attachments: \d+ networks?, \d+ workloads?"\n---\nflowchart LR\n/);
    const nodes = text.split('\n').filter((l) => /^ {2}[nf]\d+(\{\{|\[)/.test(l));
    expect(nodes).toHaveLength(d.networks.length + d.functions.length);
    for (const name of ['data', 'trunk100', 'mgmt', 'missing', 'router', 'probe', 'tester']) expect(text).toContain(name);
    expect(text).toMatch(/f1 ---\|"data0<br\/>10\.10\.0\.10\/24"\| n1/);
    expect(text).toContain('master eth2 · vlan 100');
    expect(text).toContain('ns: a, b');
    expect(text).toContain('DaemonSet · one pod per node');
    expect(text).toMatch(/class n4 external|class n3 external/);
  });

  test('mermaid: quotes and angle brackets in names are escaped', () => {
    const text = toMermaid(buildDiagram({ networks: [{ name: 'a"b<c>', namespace: 'x' }], workloads: [] }));
    expect(text).toContain('a#quot;b#lt;c#gt;');
    expect(text).not.toContain('a"b');
  });

  test('dot: networks in one rank, functions listing their interfaces, an edge from each interface row', () => {
    const text = toDot(d);
    expect(text.startsWith('graph topology {')).toBe(true);
    expect(text).toContain('rankdir=LR');
    expect(text).toMatch(/\{ rank=same; n1; n2; n3; n4; \}/);
    const edges = text.split('\n').filter((l) => / -- /.test(l));
    expect(edges).toHaveLength(d.edges.length);
    // router (f1, left of the networks): one port row per attachment, edges leave from the rows
    expect(text).toContain('<TD PORT="p0" ALIGN="LEFT" BALIGN="LEFT"><B>data0</B><BR/>10.10.0.10/24</TD>');
    expect(text).toContain('<TD PORT="p2" ALIGN="LEFT" BALIGN="LEFT"><B>mgmt0</B><BR/>default route</TD>');
    expect(text).toMatch(/^ {2}f1:p0:e -- n1 \[tooltip="router data0 on data 10\.10\.0\.10\/24"\];$/m);
    expect(text).toMatch(/^ {2}n4 -- f1:p1:e|^ {2}f1:p1:e -- n4/m);
    // probe (f2, right of the networks): edges come in from the west
    expect(text).toMatch(/^ {2}n2 -- f2:p0:w /m);
    expect(text).toContain('<B>trunk100</B><BR/>vlan<BR/>master eth2 · vlan 100<BR/>10.100.0.0/24 (host-local)<BR/>ns: a');
    expect(text).toContain('<B>probe</B><BR/>DaemonSet · one pod per node<BR/>ns: b');
    expect(text).toContain('style="rounded,dashed,filled"'); // the external network
  });

  test('dot: quotes and angle brackets in names are escaped', () => {
    const text = toDot(buildDiagram({ networks: [{ name: 'a"b<c>', namespace: 'x' }], workloads: [] }));
    expect(text).toContain('<B>a&quot;b&lt;c&gt;</B>');
    expect(text).toContain('tooltip="network a\\"b<c>"');
  });

  test('svg: rendered without a browser, well-formed, with every name', async () => {
    const svg = await renderDiagram(d, DiagramFormat.SVG);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expectWellFormedXml(svg);
    const texts = textsOf(svg);
    for (const name of ['data', 'trunk100', 'mgmt', 'missing', 'router', 'probe', 'tester', 'data0', '10.10.0.10/24', 'vl100', 'mon0']) {
      expect(texts).toContain(name);
    }
  });

  test('output is the same whatever the input order, and run to run', async () => {
    const objects = smallObjects();
    const reversed = diagramOfManifests(asManifests([...objects].reverse()));
    expect(toDot(reversed)).toBe(toDot(d));
    expect(toMermaid(reversed)).toBe(toMermaid(d));
    expect(await renderDiagram(reversed, DiagramFormat.SVG)).toBe(await renderDiagram(d, DiagramFormat.SVG));
  });

  test('fails on an unknown format, in the one error style', async () => {
    await expect(renderDiagram(d, 'png' as DiagramFormat)).rejects.toThrow(/^'format' is not a diagram format: got "png"; use svg, mermaid or dot$/);
  });
});

/** 50 functions on 6 logical networks across 5 namespaces. */
function bigApp(): App {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'diagram-')) });
  const chart = new Chart(app, 'big');
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
  const networks = Array.from({ length: 6 }, (_, i) => new Network(chart, `Net${i}`, {
    name: `segment-${i}`,
    plugin: i % 2 === 0 ? NetworkPlugin.macvlan({ uplink: `eth${i + 1}` }) : NetworkPlugin.bridge({ bridge: `br-${i}`, vlan: 100 + i }),
    subnets: [`10.${i}.0.0/24`],
    ipam: IpamMode.STATIC,
  }));
  for (let f = 0; f < 50; f++) {
    const nf = new NetworkFunction(chart, `Fn${f}`, {
      name: `vnf-${String(f).padStart(2, '0')}`,
      namespace: `tenant-${f % 5}`,
      containers: [{ name: 'main', image: 'docker.io/library/busybox:1.36' }],
    });
    for (const k of [0, 1, 2]) {
      const n = (f + k * 2) % 6;
      nf.attach(networks[n], { interface: `if${k}`, ips: [`10.${n}.0.${10 + f}/24`] });
    }
  }
  return app;
}

describe('scale: 50 functions', () => {
  test('the SVG is produced and names every network and function', async () => {
    const d = topologyDiagram(bigApp());
    expect(d.functions).toHaveLength(50);
    expect(d.networks).toHaveLength(6);
    expect(d.edges).toHaveLength(150);
    // one logical network = one node, whatever the number of namespaces
    expect(d.networks.every((n) => n.namespaces.length === 5)).toBe(true);
    const svg = await renderDiagram(d, DiagramFormat.SVG);
    expect(svg.startsWith('<svg')).toBe(true);
    expectWellFormedXml(svg);
    const texts = textsOf(svg);
    for (let i = 0; i < 6; i++) expect(texts).toContain(`segment-${i}`);
    for (let f = 0; f < 50; f++) expect(texts).toContain(`vnf-${String(f).padStart(2, '0')}`);
    // functions split on both sides of the network column: half are edge tails, half heads
    const dot = toDot(d);
    expect(dot.split('\n').filter((l) => /^ {2}f\d+:p\d:e -- n\d+ /.test(l))).toHaveLength(75);
    expect(dot.split('\n').filter((l) => /^ {2}n\d+ -- f\d+:p\d:w /.test(l))).toHaveLength(75);
  });

  test('the construct tree and its synthesized YAML give the same picture', () => {
    const app = bigApp();
    const objects = app.charts.flatMap((c) => c.toJson());
    const fromYaml = diagramOfManifests(parseManifests(objects.map((o) => YAML.stringify(o)).join('---\n'), 'big.yaml').objects);
    expect(toDot(fromYaml)).toBe(toDot(topologyDiagram(app)));
  });
});

describe('cdk8s-nfv diagram', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diagram-cli-'));
  const file = path.join(tmp, 'small.yaml');
  fs.writeFileSync(file, smallObjects().map((o) => YAML.stringify(o)).join('---\n'));

  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (t: string) => { out.push(t); }, err: (t: string) => { err.push(t); } }, out, err };
  };

  test('writes mermaid to standard output (exit 0)', async () => {
    const c = capture();
    expect(await run(['diagram', file, '--format', 'mermaid'], c.io)).toBe(0);
    expect(c.out.join('')).toBe(toMermaid(diagramOfManifests(asManifests(smallObjects()))));
  });

  test('svg by default, to a file with -o', async () => {
    const c = capture();
    const target = path.join(tmp, 'out.svg');
    expect(await run(['diagram', tmp, '-o', target], c.io)).toBe(0);
    expect(c.out.join('')).toBe('');
    const svg = fs.readFileSync(target, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(textsOf(svg)).toContain('router');
    expect(c.err.join('')).toMatch(/wrote .*out\.svg \(4 network\(s\), 3 workload\(s\)\)/);
  });

  test('draws the same text as the library for dot', async () => {
    const c = capture();
    expect(await run(['diagram', file, '--format', 'dot'], c.io)).toBe(0);
    expect(c.out.join('')).toBe((await drawManifests([file], DiagramFormat.DOT)).text);
  });

  test('fails with exit 2 on an unreadable input', async () => {
    const c = capture();
    expect(await run(['diagram', path.join(tmp, 'nope.yaml')], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/nope\.yaml: no such file or folder/);
  });

  test('fails with exit 2 on an unknown format', async () => {
    const c = capture();
    expect(await run(['diagram', file, '--format', 'png'], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/png/);
  });

  test('fails with exit 1 when there is nothing to draw', async () => {
    const empty = path.join(tmp, 'empty.yaml');
    fs.writeFileSync(empty, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    const c = capture();
    expect(await run(['diagram', empty], c.io)).toBe(1);
    expect(c.err.join('')).toMatch(/nothing to draw/);
  });
});
