import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { FiveGChart } from '../examples/five-g/chart';
import { Fog05Chart } from '../examples/fog05/chart';
import { buildExamples } from '../examples/main';
import { QuickstartChart } from '../examples/quickstart/chart';
import { TalkChart } from '../examples/talk/chart';
import { run } from '../lib/cli/main';
import { DiagramFormat } from '../lib/diagram/render';
import { Network, NetworkPlugin } from '../lib/network';
import { NetworkFunction, WorkloadKind } from '../lib/network-function';
import { PodNetworks } from '../lib/pod-networks';
import { renderTopologyDiagram, topologyDiagram, writeTopologyDiagram } from '../lib/topology-diagram';

const EXAMPLES: [string, new (scope: Construct, id: string) => Chart][] = [
  ['talk', TalkChart],
  ['five-g', FiveGChart],
  ['quickstart', QuickstartChart],
  ['fog05', Fog05Chart],
];

function textsOf(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&'));
}

describe('writeTopologyDiagram', () => {
  test('writes <outdir>/topology.svg next to the synthesized YAML', async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'topology-diagram-'));
    const app = new App({ outdir });
    new QuickstartChart(app, 'quickstart');
    app.synth();
    const file = await writeTopologyDiagram(app);
    expect(file).toBe(path.join(outdir, 'topology.svg'));
    expect(fs.readdirSync(outdir).sort()).toEqual(['quickstart.k8s.yaml', 'topology.svg']);
    const svg = fs.readFileSync(file, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(textsOf(svg)).toEqual(expect.arrayContaining(['router', 'data', 'mgmt', 'data0', '10.10.0.10/24', 'mgmt0']));
  });

  test('mermaid and dot to a file of their own', async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'topology-diagram-'));
    const app = new App({ outdir });
    new FiveGChart(app, 'five-g');
    const mmd = await writeTopologyDiagram(app, { format: DiagramFormat.MERMAID });
    expect(path.basename(mmd)).toBe('topology.mmd');
    expect(fs.readFileSync(mmd, 'utf8')).toMatch(/^---\ntitle: "five-g: \d+ networks, \d+ workloads"\n---\nflowchart LR\n/);
    const dot = await writeTopologyDiagram(app, { format: DiagramFormat.DOT, file: path.join(outdir, 'sub', 'five-g.dot') });
    expect(fs.readFileSync(dot, 'utf8').startsWith('graph topology {')).toBe(true);
  });

  test('the 5G example: every network once, every per-replica workload, every address', () => {
    const app = new App();
    new FiveGChart(app, 'five-g');
    const d = topologyDiagram(app);
    expect(d.networks.map((n) => `${n.name} ${n.plugins.join('+')} ${n.uplink} ${n.subnets.join(',')} [${n.namespaces.join(',')}]`)).toEqual([
      'n2 macvlan master eth1 10.2.0.0/24 [fivegc-cp,ran]',
      'n3 macvlan master eth2 10.3.0.0/24 [fivegc-up,ran]',
      'n4 bridge bridge br-n4 10.4.0.0/24 [fivegc-cp,fivegc-up]',
      'n6 macvlan master eth3 10.6.0.0/24 [fivegc-up]',
    ]);
    expect(d.functions.map((f) => `${f.namespace}/${f.name}`)).toEqual(['fivegc-cp/amf', 'fivegc-cp/smf', 'fivegc-up/upf-0', 'fivegc-up/upf-1', 'ran/gnb-sim']);
    const upf1 = d.functions.find((f) => f.name === 'upf-1')!;
    expect(d.edges.filter((e) => e.from === upf1.id).map((e) => `${e.interface} ${e.addresses.join(',')}${e.defaultRoute ? ' default-route' : ''}`))
      .toEqual(['n3 10.3.0.21/24', 'n4 10.4.0.21/24', 'n6 10.6.0.21/24 default-route']);
  });
});

describe('example pictures', () => {
  test.each(EXAMPLES)('docs/diagrams/%s.svg is the current picture of the example (npm run diagrams)', async (id, ChartClass) => {
    const app = new App();
    new ChartClass(app, id);
    const committed = fs.readFileSync(path.join(__dirname, '..', 'docs', 'diagrams', `${id}.svg`), 'utf8');
    expect(await renderTopologyDiagram(app)).toBe(committed);
  });

  test('cdk8s-nfv diagram <synthesized examples> --format svg shows every network and workload of the examples', async () => {
    const app = new App();
    buildExamples(app);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'examples-dist-'));
    const names = new Set<string>();
    for (const chart of app.charts) {
      const objects = chart.toJson();
      fs.writeFileSync(path.join(dir, `${chart.node.id}.k8s.yaml`), objects.map((o) => YAML.stringify(o)).join('---\n'));
      for (const o of objects) {
        const annotations = o.kind === 'Pod' ? o.metadata?.annotations : o.spec?.template?.metadata?.annotations;
        if (o.kind === 'NetworkAttachmentDefinition' || annotations?.['k8s.v1.cni.cncf.io/networks']) names.add(o.metadata.name);
      }
    }
    expect(names.size).toBeGreaterThan(8);
    const out: string[] = [];
    const code = await run(['diagram', dir, '--format', 'svg'], { out: (t) => { out.push(t); }, err: () => undefined });
    expect(code).toBe(0);
    const texts = textsOf(out.join(''));
    for (const name of names) expect(texts).toContain(name);
  });
});

describe('topologyDiagram of workloads attached with PodNetworks alone', () => {
  test('each is drawn with its own kind: cdk8s-plus workloads, an ApiObject, and a NetworkFunction', () => {
    const app = new App();
    const c = new Chart(app, 'c', { namespace: 'core' });
    const net = new Network(c, 'Data', { plugin: NetworkPlugin.bridge({ bridge: 'br-data' }), subnets: ['10.9.0.0/24'] });
    const image = 'registry.example.com/app:1.0.0';
    const db = new kplus.StatefulSet(c, 'Db', { containers: [{ image, ports: [{ number: 5432 }] }] });
    const agent = new kplus.DaemonSet(c, 'Agent', { containers: [{ image }] });
    const probe = new kplus.Pod(c, 'Probe', { containers: [{ image }] });
    const job = new ApiObject(c, 'Batch', {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'batch' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'b', image }] } } },
    });
    for (const w of [db, agent, probe, job]) PodNetworks.of(w).attach(net);
    new NetworkFunction(c, 'Fn', { kind: WorkloadKind.STATEFUL_SET, containers: [{ name: 'fn', image, ports: [{ number: 8080 }] }] }).attach(net);
    const kinds = Object.fromEntries(topologyDiagram(app).functions.map((w) => [w.name, w.kind]));
    expect(kinds).toEqual({ [db.name]: 'StatefulSet', [agent.name]: 'DaemonSet', [probe.name]: 'Pod', batch: 'Job', fn: 'StatefulSet' });
  });
});
