import { ManifestObject } from '../../lib/cli/manifests';
import {
  ManifestTopologyReader, POD_TEMPLATES, RESOURCE_NAME_ANNOTATION, podTemplateOf, replicasOf, replicasProblem, topologyFromManifests,
} from '../../lib/cli/topology-from-manifests';
import { Severity } from '../../lib/cni/problem';
import { POD_TEMPLATE_POINTERS } from '../../lib/pod-template';

const NETWORKS = 'k8s.v1.cni.cncf.io/networks';
const DEFAULT_NET = 'v1.multus-cni.io/default-network';

function m(object: any, index = 0, file = 'in.yaml'): ManifestObject {
  return { file, index, object };
}

const MACVLAN = JSON.stringify({
  cniVersion: '1.0.0', name: 'data-net', type: 'macvlan', master: 'eth1', mode: 'bridge',
  ipam: { type: 'host-local', ranges: [[{ subnet: '10.10.0.0/24' }]] },
});

function nad(name: string, config: unknown = MACVLAN, extra: any = {}): any {
  return { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, ...extra }, spec: config === null ? {} : { config } };
}

function template(annotations: Record<string, string>, containers: any[] = [{ name: 'c', image: 'i' }]): any {
  return { metadata: { labels: { app: 'x' }, annotations }, spec: { containers } };
}

describe('topologyFromManifests: networks', () => {
  test('a NAD is read with its parsed config, namespace defaulted to "default", and its resource name', () => {
    const t = topologyFromManifests([
      m(nad('data-net', MACVLAN, { annotations: { [RESOURCE_NAME_ANNOTATION]: 'intel.com/sriov' } })),
      m(nad('data-net', MACVLAN, { namespace: 'core' }), 1),
    ]);
    expect(t.problems).toEqual([]);
    expect(t.networks.map((n) => [n.name, n.namespace, n.resourceName, n.path])).toEqual([
      ['data-net', 'default', 'intel.com/sriov', 'NetworkAttachmentDefinition data-net'],
      ['data-net', 'core', undefined, 'NetworkAttachmentDefinition core/data-net'],
    ]);
    expect(t.networks[0].config?.name).toBe('data-net');
    expect(t.networks[0].configText).toBe(MACVLAN);
  });

  test('a NAD without a config (file on the node) has no config and no problem', () => {
    const t = topologyFromManifests([m(nad('file-net', null))]);
    expect(t.problems).toEqual([]);
    expect(t.networks).toHaveLength(1);
    expect(t.networks[0].config).toBeUndefined();
    expect(t.networks[0].configText).toBeUndefined();
  });

  test('objects of another API group named NetworkAttachmentDefinition are not networks', () => {
    const t = topologyFromManifests([m({ ...nad('x'), apiVersion: 'example.com/v1' })]);
    expect(t.networks).toEqual([]);
  });

  test('fails on a config that is not a string', () => {
    const t = topologyFromManifests([m(nad('obj-net', { type: 'macvlan' }))]);
    expect(t.problems).toHaveLength(1);
    expect(t.problems[0].problem.field).toBe('spec.config');
    expect(t.problems[0].problem.message).toMatch(/must be a string holding JSON/);
    expect(t.problems[0].problem.severity).toBe(Severity.ERROR);
  });

  test('a config name other than the NAD name is no problem (Multus keeps it; it fills in the NAD name only where there is none)', () => {
    const t = topologyFromManifests([m(nad('other-name'))]);
    expect(t.problems).toEqual([]);
    expect(t.networks.map((n) => [n.name, n.config?.name])).toEqual([['other-name', 'data-net']]);
  });

  test('problems of the CNI config carry the spec.config prefix', () => {
    const t = topologyFromManifests([m(nad('data-net', JSON.stringify({ cniVersion: '1.0.0', name: 'data-net', type: 'macvlan', bogus: 1 })))]);
    expect(t.problems.length).toBeGreaterThan(0);
    expect(t.problems.every((p) => p.prefix === 'spec.config')).toBe(true);
  });
});

describe('topologyFromManifests: workloads', () => {
  const ann = { [NETWORKS]: 'data-net@net1' };
  const cases: [string, any, number | undefined, string][] = [
    ['Pod', { metadata: { name: 'w', annotations: ann }, spec: { containers: [] } }, 1, 'metadata'],
    ['Deployment', { spec: { replicas: 3, template: template(ann) } }, 3, 'template'],
    ['StatefulSet', { spec: { replicas: 2, template: template(ann) } }, 2, 'template'],
    ['ReplicaSet', { spec: { template: template(ann) } }, 1, 'template'],
    ['DaemonSet', { spec: { template: template(ann) } }, undefined, 'template'],
    ['Job', { spec: { parallelism: 4, template: template(ann) } }, 4, 'template'],
    ['CronJob', { spec: { jobTemplate: { spec: { template: template(ann) } } } }, 1, 'template'],
  ];

  test.each(cases)('%s: read with its replicas and attachments', (kind, body, replicas) => {
    const o = { kind, ...body, metadata: { name: 'w', namespace: 'ns1', ...(body.metadata ?? {}) } };
    const t = topologyFromManifests([m(o)]);
    expect(t.problems).toEqual([]);
    expect(t.pods).toHaveLength(1);
    const p = t.pods[0];
    expect(p.kind).toBe(kind);
    expect(p.name).toBe('w');
    expect(p.namespace).toBe('ns1');
    expect(p.replicas).toBe(replicas);
    expect(p.attachments).toEqual([expect.objectContaining({ name: 'data-net', interface: 'net1' })]);
    expect(p.path).toBe(`${kind} ns1/w`);
  });

  test('every listed kind has a template accessor', () => {
    // the kinds PodTemplate attaches to (lib/pod-template.ts): what the constructs write, lint reads
    expect(Object.keys(POD_TEMPLATES).sort()).toEqual(['CronJob', 'DaemonSet', 'Deployment', 'Job', 'Pod', 'ReplicaSet', 'ReplicationController', 'StatefulSet']);
    expect(Object.keys(POD_TEMPLATES).sort()).toEqual(Object.keys(POD_TEMPLATE_POINTERS).sort());
    expect(podTemplateOf({ kind: 'ReplicationController', spec: { template: { metadata: {} } } })).toEqual({ metadata: {} });
    expect(podTemplateOf({ kind: 'Service' })).toBeUndefined();
    expect(replicasOf({ kind: 'CronJob', spec: { parallelism: 2 } })).toBe(2);
    expect(replicasOf({ kind: 'Deployment', spec: {} })).toBe(1);
  });

  test('namespace defaults to "default"; the template labels are kept', () => {
    const t = topologyFromManifests([m({ kind: 'Deployment', metadata: { name: 'd' }, spec: { template: template({ [NETWORKS]: 'a' }) } })]);
    expect(t.pods[0].namespace).toBe('default');
    expect(t.pods[0].podLabels).toEqual({ app: 'x' });
  });

  test('workloads without Multus annotations and other kinds are left out', () => {
    const t = topologyFromManifests([
      m({ kind: 'Deployment', metadata: { name: 'plain' }, spec: { template: template({}) } }),
      m({ kind: 'Service', metadata: { name: 's', annotations: { [NETWORKS]: 'a' } } }),
    ]);
    expect(t.pods).toEqual([]);
    expect(t.where.size).toBe(2);
  });

  test('extended resource requests are summed over containers and init containers; plain resources ignored', () => {
    const containers = [
      { name: 'a', resources: { requests: { 'intel.com/sriov': '2', cpu: '1' }, limits: { 'intel.com/sriov': '2', memory: '1Gi' } } },
      { name: 'b', resources: { limits: { 'intel.com/sriov': '1', 'example.com/fpga': 1 } } },
    ];
    const tpl = template({ [NETWORKS]: 'sriov-net' }, containers);
    tpl.spec.initContainers = [{ name: 'i', resources: { requests: { 'intel.com/sriov': '1' } } }];
    const t = topologyFromManifests([m({ kind: 'Deployment', metadata: { name: 'd' }, spec: { template: tpl } })]);
    expect(t.pods[0].resourceRequests).toEqual({ 'intel.com/sriov': 4, 'example.com/fpga': 1 });
  });

  test('the default-network annotation is read as the default network', () => {
    const t = topologyFromManifests([m({
      kind: 'Deployment', metadata: { name: 'd', namespace: 'ns' },
      spec: { template: template({ [DEFAULT_NET]: 'kube-system/calico' }) },
    })]);
    expect(t.problems).toEqual([]);
    expect(t.pods[0].attachments).toEqual([]);
    expect(t.pods[0].defaultNetwork).toEqual(expect.objectContaining({ name: 'calico', namespace: 'kube-system' }));
  });

  test('fails when the default-network annotation names more than one network', () => {
    const t = topologyFromManifests([m({ kind: 'Pod', metadata: { name: 'p', annotations: { [DEFAULT_NET]: 'a,b' } } })]);
    const p = t.problems.find((x) => /names more than one network/.test(x.problem.message));
    expect(p?.problem.field).toBe(`metadata.annotations["${DEFAULT_NET}"]`);
    expect(p?.problem.severity).toBe(Severity.ERROR);
  });

  test('fails on a malformed networks annotation, under the template annotation field', () => {
    const t = topologyFromManifests([m({ kind: 'Deployment', metadata: { name: 'd' }, spec: { template: template({ [NETWORKS]: '[{"name": 5}]' }) } })]);
    expect(t.problems.length).toBeGreaterThan(0);
    expect(t.problems[0].problem.field).toMatch(/^spec\.template\.metadata\.annotations\["k8s\.v1\.cni\.cncf\.io\/networks"\]/);
  });

  test('repeated object descriptions get unique paths naming file and document', () => {
    const d = { kind: 'Pod', metadata: { name: 'p', annotations: { [NETWORKS]: 'a' } } };
    const t = topologyFromManifests([m(d, 0, 'one.yaml'), m(d, 2, 'two.yaml')]);
    expect(t.pods.map((p) => p.path)).toEqual(['Pod p', 'Pod p (two.yaml #2)']);
    expect(t.where.get('Pod p (two.yaml #2)')).toEqual({ file: 'two.yaml', object: 'Pod p', index: 1 });
  });
});

describe('ManifestTopologyReader', () => {
  test('reads one object at a time, with the same result as topologyFromManifests', () => {
    const objects = [m(nad('data-net')), m({ kind: 'Pod', metadata: { name: 'p', annotations: { [NETWORKS]: 'data-net' } } }, 1)];
    const reader = new ManifestTopologyReader();
    objects.forEach((o) => reader.add(o));
    const a = reader.result();
    const b = topologyFromManifests(objects);
    expect([a.networks.map((n) => n.path), a.pods.map((p) => p.path), [...a.where.keys()]]).toEqual(
      [b.networks.map((n) => n.path), b.pods.map((p) => p.path), [...b.where.keys()]]);
    expect(a.networks[0].source).toBe(objects[0]);
  });

  test('keepObjects: false keeps of each source only apiVersion, kind, name and namespace, and no configText', () => {
    const reader = new ManifestTopologyReader({ keepObjects: false });
    reader.add(m(nad('data-net', MACVLAN, { namespace: 'x', labels: { a: 'b' } })));
    const [n] = reader.result().networks;
    expect(n.source).toEqual({ file: 'in.yaml', index: 0, object: { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'data-net', namespace: 'x' } } });
    expect(n.configText).toBeUndefined();
    expect(n.config?.plugins.map((p) => p.type)).toEqual(['macvlan']);
  });

  test('an object left out is listed in dropped (and in problems); dropped is absent when nothing was', () => {
    const bad = m({ kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: -1, template: template({ [NETWORKS]: 'a' }) } });
    const t = topologyFromManifests([bad]);
    expect(t.pods).toEqual([]);
    expect(t.dropped).toEqual(t.problems);
    expect(t.dropped?.map((p) => p.problem.field)).toEqual(['spec.replicas']);
    expect(topologyFromManifests([m(nad('data-net'))]).dropped).toBeUndefined();
  });

  test('an exception while reading one object becomes a problem of that object; the next object is read', () => {
    const hostile = { kind: 'Pod', metadata: { name: 'p', annotations: { [NETWORKS]: 'a' } }, get spec(): never { throw new Error('boom'); } };
    const t = topologyFromManifests([m(hostile), m(nad('data-net'), 1)]);
    expect(t.problems.map((p) => [p.problem.field, p.problem.message, p.problem.value])).toEqual([['', 'cannot be read', 'boom']]);
    expect(t.networks.map((n) => n.name)).toEqual(['data-net']);
  });
});

describe('replicasProblem', () => {
  test('none for a whole number in range, a missing value, a Pod or a DaemonSet', () => {
    expect(replicasProblem({ kind: 'Deployment', spec: { replicas: 0 } })).toBeUndefined();
    expect(replicasProblem({ kind: 'StatefulSet', spec: { replicas: 2147483647 } })).toBeUndefined();
    expect(replicasProblem({ kind: 'Deployment', spec: {} })).toBeUndefined();
    expect(replicasProblem({ kind: 'Pod', spec: { replicas: -1 } })).toBeUndefined();
    expect(replicasProblem({ kind: 'DaemonSet', spec: { replicas: 'x' } })).toBeUndefined();
  });

  test('the field of each kind', () => {
    expect(replicasProblem({ kind: 'Deployment', spec: { replicas: 2147483648 } })?.field).toBe('spec.replicas');
    expect(replicasProblem({ kind: 'Job', spec: { parallelism: -1 } })?.field).toBe('spec.parallelism');
    expect(replicasProblem({ kind: 'CronJob', spec: { jobTemplate: { spec: { parallelism: 0.5 } } } })?.field).toBe('spec.jobTemplate.spec.parallelism');
  });
});

describe('topologyFromManifests: devices of DRA claims count as resource requests', () => {
  const pinned = (resource: string, extra: any = {}) => ({
    name: 'vf', exactly: { deviceClassName: 'sriovnetwork.k8snetworkplumbingwg.io', selectors: [{ cel: { expression: `device.attributes["k8s.cni.cncf.io"].resourceName == "${resource}"` } }], ...extra },
  });
  const claimTemplate = (name: string, requests: any[], namespace = 'ran') => ({
    apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaimTemplate', metadata: { name, namespace }, spec: { spec: { devices: { requests } } },
  });
  const pod = (claims: any[], namespace = 'ran') => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace, annotations: { [NETWORKS]: 'vf-net' } },
    spec: { resourceClaims: claims, containers: [{ name: 'c', image: 'i', resources: { limits: { 'intel.com/other': '1' } } }] },
  });

  test('a claim template after the pod: its pinned devices are added to the pod\'s requests (count, and 1 by default)', () => {
    const t = topologyFromManifests([
      m(pod([{ name: 'a', resourceClaimTemplateName: 'vfs' }, { name: 'b', resourceClaimName: 'one' }])),
      m(claimTemplate('vfs', [pinned('intel.com/sriov', { count: 2 }), { name: 'plain', exactly: { deviceClassName: 'x' } }]), 1),
      m({ apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaim', metadata: { name: 'one', namespace: 'ran' }, spec: { devices: { requests: [pinned('intel.com/sriov')] } } }, 2),
    ]);
    expect(t.pods.map((p) => p.resourceRequests)).toEqual([{ 'intel.com/other': 1, 'intel.com/sriov': 3 }]);
    expect(t.problems).toEqual([]);
  });

  test('a claim of another namespace, or a name no claim has, adds nothing', () => {
    const t = topologyFromManifests([
      m(pod([{ name: 'a', resourceClaimTemplateName: 'vfs' }, { name: 'b', resourceClaimName: 'missing' }])),
      m(claimTemplate('vfs', [pinned('intel.com/sriov')], 'core'), 1),
    ]);
    expect(t.pods.map((p) => p.resourceRequests)).toEqual([{ 'intel.com/other': 1 }]);
  });
});
