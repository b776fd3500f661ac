import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { CONTROL_PLANE, FiveGDraChart, FiveGRendering, RAN, USER_PLANE } from '../../examples/five-g-dra/chart';
import { AttachmentRendering } from '../../lib/attachment-rendering';
import { CNI_DRA_DRIVER } from '../../lib/dra/cni-dra-driver';
import { DraNetworkClaims } from '../../lib/dra/network-claims';
import { networkClaimProblems } from '../../lib/dra/network-claim-checks';
import { SRIOV_DRA_DRIVER } from '../../lib/dra/sriov-dra-driver';
import { NETWORKS_ANNOTATION, parseNetworksAnnotation } from '../../lib/multus/selection-element';
import { runCli, writeYamlDocs } from '../util/cli';
import { podClaimProblems } from '../../lib/dra/resource-claim';

describe('the 5G example rendered as DRA claims (examples/five-g-dra)', () => {
  const objs = Testing.synth(new FiveGDraChart(Testing.app(), 'five-g-dra'));
  const of = (kind: string) => objs.filter((o) => o.kind === kind);

  test('one ResourceClaimTemplate per interface of every workload, in the workload\'s namespace', () => {
    expect(of('ResourceClaimTemplate').map((t) => `${t.metadata.namespace}/${t.metadata.name}`)).toEqual([
      `${CONTROL_PLANE}/amf-n2`, `${CONTROL_PLANE}/smf-n4`,
      `${USER_PLANE}/upf-0-n3`, `${USER_PLANE}/upf-0-n4`, `${USER_PLANE}/upf-0-n6`,
      `${USER_PLANE}/upf-1-n3`, `${USER_PLANE}/upf-1-n4`, `${USER_PLANE}/upf-1-n6`,
      `${RAN}/gnb-sim-n2`, `${RAN}/gnb-sim-n3`,
    ]);
  });

  test('no pod carries a Multus annotation; every pod claim resolves and every claim passes the network claim checks', () => {
    const templates = new Map<string, Set<string>>();
    for (const t of of('ResourceClaimTemplate')) {
      if (!templates.has(t.metadata.namespace)) templates.set(t.metadata.namespace, new Set());
      templates.get(t.metadata.namespace)!.add(t.metadata.name);
      expect(networkClaimProblems(t.spec.spec)).toEqual([]);
    }
    for (const d of of('Deployment')) {
      expect(d.spec.template.metadata?.annotations?.['k8s.v1.cni.cncf.io/networks']).toBeUndefined();
      expect(podClaimProblems(d.spec.template.spec, { templates: templates.get(d.metadata.namespace) })).toEqual([]);
      expect(d.spec.template.spec.resourceClaims.length).toBeGreaterThan(0);
    }
  });

  test('each UPF replica gets its own addresses, as runtimeConfig of the static IPAM plugin', () => {
    const ips = of('ResourceClaimTemplate').filter((t) => t.metadata.name.startsWith('upf-'))
      .map((t) => [t.metadata.name, t.spec.spec.devices.config[0].opaque.parameters.config.plugins[0].runtimeConfig.ips]);
    expect(ips).toEqual([
      ['upf-0-n3', ['10.3.0.20/24']], ['upf-0-n4', ['10.4.0.20/24']], ['upf-0-n6', ['10.6.0.20/24']],
      ['upf-1-n3', ['10.3.0.21/24']], ['upf-1-n4', ['10.4.0.21/24']], ['upf-1-n6', ['10.6.0.21/24']],
    ]);
  });
});

describe('the 5G example in every rendering of one chart (annotation, cni-dra-driver, SR-IOV DRA)', () => {
  const synth = (rendering: FiveGRendering) => Testing.synth(new FiveGDraChart(Testing.app(), 'five-g', { rendering }));
  const annotated = synth(AttachmentRendering.NAD_ANNOTATION);
  const cni = synth(AttachmentRendering.DRA_CNI);
  const sriov = synth(AttachmentRendering.DRA_SRIOV);
  const kinds = (objs: any[]) => [...new Set(objs.map((o) => o.kind))];

  test('the annotation rendering writes NADs and annotations and no claim; the DRA ones claims and no annotation', () => {
    expect(kinds(annotated)).toEqual(['Namespace', 'NetworkAttachmentDefinition', 'Deployment']);
    expect(kinds(cni)).toEqual(['Namespace', 'Deployment', 'ResourceClaimTemplate']);
    expect(kinds(sriov)).toEqual(['Namespace', 'NetworkAttachmentDefinition', 'Deployment', 'ResourceClaimTemplate']);
    for (const d of annotated.filter((o) => o.kind === 'Deployment')) {
      expect(d.spec.template.spec.resourceClaims).toBeUndefined();
      expect(parseNetworksAnnotation(d.spec.template.metadata.annotations[NETWORKS_ANNOTATION]).problems).toEqual([]);
    }
  });

  test('every attachment of the example: the cni-dra-driver claim\'s config, without runtimeConfig, equals the NAD config the annotation rendering writes; its runtimeConfig ips are the annotation\'s', () => {
    const pairs: string[] = [];
    for (const d of annotated.filter((o) => o.kind === 'Deployment')) {
      const ns = d.metadata.namespace;
      for (const e of parseNetworksAnnotation(d.spec.template.metadata.annotations[NETWORKS_ANNOTATION]).elements) {
        const nad = annotated.find((o) => o.kind === 'NetworkAttachmentDefinition' && o.metadata.namespace === ns && o.metadata.name === e.name);
        const claim = cni.find((o) => o.kind === 'ResourceClaimTemplate' && o.metadata.namespace === ns && o.metadata.name === `${d.metadata.name}-${e.interface}`);
        const params = claim.spec.spec.devices.config[0].opaque.parameters;
        const stripped = { ...params.config, plugins: params.config.plugins.map(({ runtimeConfig: _rc, ...p }: any) => p) };
        expect([claim.metadata.name, stripped]).toEqual([claim.metadata.name, JSON.parse(nad.spec.config)]);
        expect([claim.metadata.name, params.ifName, params.config.plugins[0].runtimeConfig]).toEqual([claim.metadata.name, e.interface, { ips: e.ips }]);
        pairs.push(`${ns}/${d.metadata.name}/${e.interface}`);
      }
    }
    expect(pairs.length).toBe(10);
  });

  test('SR-IOV DRA: N3 through a VF running a NAD of its workload (the address baked in, resourceName pinned), the rest through cni-dra-driver', () => {
    const templates = sriov.filter((o) => o.kind === 'ResourceClaimTemplate');
    const drivers = templates.map((t) => `${t.metadata.name} ${t.spec.spec.devices.config[0].opaque.driver}`);
    expect(drivers.filter((d) => d.endsWith(SRIOV_DRA_DRIVER))).toEqual([`upf-0-n3 ${SRIOV_DRA_DRIVER}`, `upf-1-n3 ${SRIOV_DRA_DRIVER}`, `gnb-sim-n3 ${SRIOV_DRA_DRIVER}`]);
    expect(drivers.filter((d) => d.endsWith(CNI_DRA_DRIVER))).toHaveLength(7);
    const nads = sriov.filter((o) => o.kind === 'NetworkAttachmentDefinition');
    expect(nads.map((n) => [n.metadata.namespace, n.metadata.name, n.metadata.annotations['k8s.v1.cni.cncf.io/resourceName'], JSON.parse(n.spec.config).plugins[0].ipam.addresses[0].address])).toEqual([
      [USER_PLANE, 'n3-upf-0', 'intel.com/sriov_n3', '10.3.0.20/24'],
      [USER_PLANE, 'n3-upf-1', 'intel.com/sriov_n3', '10.3.0.21/24'],
      [RAN, 'n3-gnb-sim', 'intel.com/sriov_n3', '10.3.0.50/24'],
    ]);
    const upf0 = templates.find((t) => t.metadata.name === 'upf-0-n3').spec.spec.devices;
    expect(upf0.config[0].opaque.parameters).toEqual({ apiVersion: 'sriovnetwork.k8snetworkplumbingwg.io/v1alpha1', kind: 'VfConfig', ifName: 'n3', netAttachDefName: 'n3-upf-0' });
    expect(upf0.requests[0].exactly.selectors).toEqual([{ cel: { expression: 'device.attributes["k8s.cni.cncf.io"].resourceName == "intel.com/sriov_n3"' } }]);
    for (const t of templates) expect([t.metadata.name, networkClaimProblems(t.spec.spec)]).toEqual([t.metadata.name, []]);
  });

  test('each rendering lints with exit code 0 and no error line (topology, DRA and CNI checks of the command)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'five-g-renderings-'));
    try {
      for (const [name, objs] of [['annotation', annotated], ['dra-cni', cni], ['dra-sriov', sriov]] as const) {
        const file = writeYamlDocs(dir, `${name}.yaml`, objs);
        const r = await runCli(['lint', file]);
        expect([name, r.code, r.out.split('\n').filter((l) => l.includes('error:'))]).toEqual([name, 0, []]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a duplicate address across renderings of one segment is refused at synth (an SR-IOV baked NAD and a cni-dra-driver claim on N3)', () => {
    const chart = new FiveGDraChart(Testing.app(), 'five-g', { rendering: AttachmentRendering.DRA_SRIOV });
    const extra = new kplus.Deployment(chart, 'Probe', { metadata: { name: 'probe', namespace: USER_PLANE }, replicas: 1, containers: [{ image: 'x:1' }] });
    // upf-0's VF runs n3-upf-0, whose static IPAM has 10.3.0.20/24 baked in
    new DraNetworkClaims(chart, 'ProbeClaims', { workload: extra }).attach(chart.n3, { interface: 'n3', ips: ['10.3.0.20/24'] });
    expect(() => Testing.synth(chart)).toThrow("[five-g/Probe] 'attachments[0].ips[0]' is already used on n3 by five-g/Workload-upf-0 (n3): got \"10.3.0.20/24\"; give every attachment of a network its own address");
  });
});
