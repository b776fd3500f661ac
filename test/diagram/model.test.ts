import { Cidr } from '../../lib/addressing/ip';
import { parseCniConfig } from '../../lib/cni/parse';
import { DiagramInput, DiagramNetworkInput, DiagramWorkloadInput, buildDiagram } from '../../lib/diagram/model';

// buildDiagram from plain topology data (test/cli/diagram.test.ts covers it through manifests).

function raw(name: string, namespace: string, rawConfig: any, extra: Partial<DiagramNetworkInput> = {}): DiagramNetworkInput {
  return { name, namespace, rawConfig, ...extra };
}

function workload(name: string, namespace: string, attachments: any[], extra: Partial<DiagramWorkloadInput> = {}): DiagramWorkloadInput {
  return { name, namespace, kind: 'Deployment', replicas: 1, attachments, ...extra };
}

function build(input: Partial<DiagramInput>) {
  return buildDiagram({ networks: input.networks ?? [], workloads: input.workloads ?? [] });
}

describe('buildDiagram: networks', () => {
  test('uplink from the first host-side key, labelled master, bridge or device; the bridge plugin defaults to cni0', () => {
    const d = build({
      networks: [
        raw('a', 'x', { type: 'macvlan', master: 'eth1' }),
        raw('b', 'x', { type: 'bridge', bridge: 'br-n4', vlan: 40 }),
        raw('c', 'x', { type: 'bridge' }),
        raw('d', 'x', { type: 'host-device', pciBusID: '0000:03:00.1' }),
        raw('e', 'x', { type: 'sriov', deviceID: '0000:05:00.2', vlan: 0 }, { resourceName: 'intel.com/sriov' }),
        raw('f', 'x', { type: 'vlan', master: '', vlanId: 100 }),
      ],
    });
    expect(d.networks.map((n) => [n.id, n.name, n.plugins, n.uplink, n.vlan, n.resourceName])).toEqual([
      ['n1', 'a', ['macvlan'], 'master eth1', undefined, undefined],
      ['n2', 'b', ['bridge'], 'bridge br-n4', 40, undefined],
      ['n3', 'c', ['bridge'], 'bridge cni0', undefined, undefined],
      ['n4', 'd', ['host-device'], 'device 0000:03:00.1', undefined, undefined],
      ['n5', 'e', ['sriov'], 'device 0000:05:00.2', undefined, 'intel.com/sriov'],
      ['n6', 'f', ['vlan'], undefined, 100, undefined],
    ]);
    expect(d.networks.every((n) => !n.external)).toBe(true);
  });

  test('a plugin list: types in chain order, uplink and IPAM from the first plugin, subnets canonical', () => {
    const d = build({ networks: [raw('l', 'x', { plugins: [{ type: 'macvlan', master: 'eth2', ipam: { type: 'host-local', subnet: '10.1.0.9/24' } }, { type: 'tuning' }, 'junk', { notype: 1 }] })] });
    expect(d.networks[0]).toEqual(expect.objectContaining({ plugins: ['macvlan', 'tuning', '?'], uplink: 'master eth2', ipam: 'host-local', subnets: ['10.1.0.0/24'] }));
  });

  test('a typed config gives plugins, IPAM type and the pool subnets', () => {
    const config = parseCniConfig(JSON.stringify({
      cniVersion: '1.0.0', name: 't', plugins: [{ type: 'macvlan', master: 'eth3', ipam: { type: 'host-local', ranges: [[{ subnet: '10.7.0.0/24' }]] } }],
    }));
    const d = build({ networks: [{ name: 't', namespace: 'x', config, subnets: [Cidr.parse('10.8.0.0/24')] }] });
    expect(d.networks[0]).toEqual(expect.objectContaining({ plugins: ['macvlan'], uplink: 'master eth3', ipam: 'host-local', subnets: ['10.8.0.0/24', '10.7.0.0/24'] }));
  });

  test('same name and config in two namespaces is one node; a different config or resource name stays apart', () => {
    const cfg = { type: 'bridge', bridge: 'br0' };
    const d = build({
      networks: [raw('m', 'b', cfg), raw('m', 'a', { ...cfg, name: 'ignored' }), raw('m', 'c', { type: 'bridge', bridge: 'br1' }), raw('m', 'd', cfg, { resourceName: 'r/x' })],
    });
    expect(d.networks.map((n) => [n.name, n.namespaces, n.uplink])).toEqual([
      ['m', ['a', 'b'], 'bridge br0'], ['m', ['c'], 'bridge br1'], ['m', ['d'], 'bridge br0'],
    ]);
  });

  test('a NAD declared twice in one namespace is drawn once, from the first', () => {
    const d = build({ networks: [raw('z', 'x', { type: 'macvlan', master: 'eth1' }), raw('z', 'x', { type: 'macvlan', master: 'eth9' })] });
    expect(d.networks.map((n) => n.uplink)).toEqual(['master eth1']);
  });

  test('a network declared external is external; an unknown config has no plugins', () => {
    const d = build({ networks: [raw('ext', 'x', undefined, { external: true }), raw('plain', 'x', undefined)] });
    expect(d.networks.map((n) => [n.name, n.external, n.plugins])).toEqual([['ext', true, []], ['plain', false, []]]);
  });
});

describe('buildDiagram: functions and edges', () => {
  test('functions sorted by namespace then name; workloads without attachments left out', () => {
    const d = build({
      networks: [raw('n', 'b', { type: 'bridge' })],
      workloads: [workload('z', 'a', [{ name: 'n', namespace: 'b' }]), workload('y', 'b', [{ name: 'n' }], { kind: 'DaemonSet', replicas: undefined }), workload('idle', 'a', [])],
    });
    expect(d.functions).toEqual([
      { id: 'f1', kind: 'Deployment', name: 'z', namespace: 'a', replicas: 1 },
      { id: 'f2', kind: 'DaemonSet', name: 'y', namespace: 'b', replicas: undefined },
    ]);
    expect(d.edges.map((e) => [e.from, e.to])).toEqual([['f1', 'n1'], ['f2', 'n1']]);
  });

  test('interfaces default to net<i+1>; addresses, MAC and default route carried', () => {
    const d = build({
      networks: [raw('n', 'a', { type: 'bridge' })],
      workloads: [workload('w', 'a', [
        { name: 'n', ips: ['10.0.0.5/24'], mac: '02:00:00:00:00:01' },
        { name: 'n', interface: 'data0', 'default-route': ['10.0.0.1'] },
      ])],
    });
    expect(d.edges).toEqual([
      { from: 'f1', to: 'n1', interface: 'net1', addresses: ['10.0.0.5/24'], mac: '02:00:00:00:00:01', defaultRoute: false, defaultNetwork: false },
      { from: 'f1', to: 'n1', interface: 'data0', addresses: [], mac: undefined, defaultRoute: true, defaultNetwork: false },
    ]);
  });

  test('a reference to a missing NAD draws it as external in the referenced namespace, subnets from the addresses', () => {
    const d = build({ workloads: [workload('w', 'a', [{ name: 'gone', namespace: 'other', ips: ['10.3.0.7/24', 'fd00::7/64'] }])] });
    expect(d.networks).toEqual([expect.objectContaining({ name: 'gone', namespaces: ['other'], external: true, plugins: [], subnets: ['10.3.0.0/24', 'fd00::/64'] })]);
  });

  test('the default network: eth0 first, its namespace from multusNamespace or kube-system', () => {
    const d = build({
      networks: [raw('calico', 'kube-system', { type: 'calico' }), raw('data', 'a', { type: 'bridge' })],
      workloads: [
        workload('w', 'a', [{ name: 'data' }], { defaultNetwork: { name: 'calico' } }),
        workload('v', 'a', [], { defaultNetwork: { name: 'flannel' }, multusNamespace: 'net' }),
      ],
    });
    const byFn = (id: string) => d.edges.filter((e) => e.from === id).map((e) => [e.interface, e.defaultNetwork, d.networks.find((n) => n.id === e.to)!.name]);
    const w = d.functions.find((f) => f.name === 'w')!.id;
    const v = d.functions.find((f) => f.name === 'v')!.id;
    expect(byFn(w)).toEqual([['eth0', true, 'calico'], ['net1', false, 'data']]);
    expect(byFn(v)).toEqual([['eth0', true, 'flannel']]);
    expect(d.networks.find((n) => n.name === 'flannel')).toEqual(expect.objectContaining({ namespaces: ['net'], external: true }));
  });

  test('the same picture whatever the input order', () => {
    const networks = [raw('b', 'x', { type: 'bridge' }), raw('a', 'x', { type: 'macvlan', master: 'eth1' })];
    const workloads = [workload('w2', 'x', [{ name: 'a' }, { name: 'b' }]), workload('w1', 'x', [{ name: 'b' }])];
    expect(build({ networks: [...networks].reverse(), workloads: [...workloads].reverse() })).toEqual(build({ networks, workloads }));
  });
});
