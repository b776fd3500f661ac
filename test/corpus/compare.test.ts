import { canonical, compareMeaning, jsonDifferences, meaningOf, parseSelection } from './compare';

const nad = (name: string, config: object | string, extra: { namespace?: string; resourceName?: string } = {}) => ({
  apiVersion: 'k8s.cni.cncf.io/v1',
  kind: 'NetworkAttachmentDefinition',
  metadata: {
    name, namespace: extra.namespace,
    annotations: extra.resourceName ? { 'k8s.v1.cni.cncf.io/resourceName': extra.resourceName } : undefined,
  },
  spec: { config: typeof config === 'string' ? config : JSON.stringify(config) },
});

const pod = (name: string, networks: string | undefined, extra: { namespace?: string; defaultNetwork?: string; resources?: object } = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name, namespace: extra.namespace,
    annotations: {
      ...(networks !== undefined ? { 'k8s.v1.cni.cncf.io/networks': networks } : {}),
      ...(extra.defaultNetwork ? { 'v1.multus-cni.io/default-network': extra.defaultNetwork } : {}),
    },
  },
  spec: { containers: [{ name: 'c', image: 'i', resources: extra.resources }] },
});

describe('selections are parsed as Multus parses them', () => {
  test('short form with spaces, namespace and interface; the namespace omitted is the pod\'s', () => {
    expect(parseSelection(' a, other/b@net5 ,c', 'ns', 'x', [])).toEqual([
      { name: 'a', namespace: 'ns' },
      { name: 'b', namespace: 'other', interface: 'net5' },
      { name: 'c', namespace: 'ns' },
    ]);
  });

  test('the JSON form means the same as the short form', () => {
    expect(parseSelection('[{"name":"b","namespace":"other","interface":"net5"}]', 'ns', 'x', []))
      .toEqual(parseSelection('other/b@net5', 'ns', 'x', []));
  });

  test('an element without interface is named as Multus names it (net<N>, N its position) in the networks annotation only', () => {
    expect(parseSelection('a,b@x,c', 'ns', 'x', [], true).map((e) => e.interface)).toEqual(['net1', 'x', 'net3']);
    expect(parseSelection('a', 'ns', 'x', []).map((e) => e.interface)).toEqual([undefined]);
  });

  test('keys Multus does not read are dropped, with a note', () => {
    const notes: string[] = [];
    expect(parseSelection('[{"name":"n2","ips":["10.0.0.1/24"],"gateway":["10.0.0.254"]}]', 'free5gc', 'Deployment free5gc/amf', notes))
      .toEqual([{ name: 'n2', namespace: 'free5gc', ips: ['10.0.0.1/24'] }]);
    expect(notes).toEqual(['Deployment free5gc/amf[0].gateway is not read by Multus (dropped): ["10.0.0.254"]']);
  });
});

describe('meaning of objects', () => {
  test('a NAD config without name gets the NAD\'s name; key order does not matter', () => {
    const a = meaningOf([nad('net', '{"type":"bridge","cniVersion":"0.3.1"}')]);
    const b = meaningOf([nad('net', { cniVersion: '0.3.1', name: 'net', type: 'bridge' }, { namespace: 'default' })]);
    expect(a.nads.get('default/net')).toEqual(b.nads.get('default/net'));
  });

  test('workloads without a selection are not part of the networking (e.g. installers)', () => {
    expect(meaningOf([pod('cni-installer', undefined)]).workloads.size).toBe(0);
  });

  test('device and hugepage requests are summed per resource name; CPU and memory are not compared', () => {
    const m = meaningOf([{
      kind: 'Deployment', metadata: { name: 'd' },
      spec: { template: { metadata: { annotations: { 'k8s.v1.cni.cncf.io/networks': 'n' } }, spec: { containers: [
        { name: 'a', resources: { requests: { 'intel.com/vf': '1', 'cpu': '3' }, limits: { 'hugepages-2Mi': '1Gi' } } },
        { name: 'b', resources: { requests: { 'intel.com/vf': 1 } } },
      ] } } },
    }]);
    expect(m.workloads.get('Deployment default/d')).toEqual({
      key: 'Deployment default/d', replicas: 1, networks: [{ interface: 'net1', name: 'n', namespace: 'default' }], defaultNetwork: [],
      devices: { 'requests.intel.com/vf': '1+1', 'requests.hugepages-2Mi': '1Gi', 'limits.hugepages-2Mi': '1Gi' },
    });
  });
});

describe('compareMeaning', () => {
  test('the same deployment written differently means the same', () => {
    const upstream = [nad('a', '{ "type": "bridge", "bridge": "br0", "cniVersion": "0.3.1" }'), pod('p', 'a, a@x')];
    const program = [nad('a', { cniVersion: '0.3.1', name: 'a', type: 'bridge', bridge: 'br0' }), pod('p', '[{"name":"a","namespace":"default"},{"name":"a","interface":"x"}]', { namespace: 'default' })];
    expect(compareMeaning(upstream, program)).toEqual({ differences: [], notes: [], nads: 1, workloads: 1 });
  });

  test('every difference is one readable line', () => {
    const upstream = [
      nad('a', { cniVersion: '0.3.1', type: 'sriov', vlan: 7 }, { resourceName: 'intel.com/vf' }),
      nad('gone', { cniVersion: '0.3.1', type: 'bridge' }),
      pod('p', 'a@n1', { resources: { requests: { 'intel.com/vf': '2' } } }),
    ];
    const program = [
      nad('a', { cniVersion: '1.0.0', type: 'sriov', vlan: 8, name: 'a' }),
      nad('new', { cniVersion: '0.3.1', type: 'bridge' }),
      pod('p', 'a@n2,b', { resources: { requests: { 'intel.com/vf': '1' } } }),
    ];
    expect(compareMeaning(upstream, program).differences).toEqual([
      'NetworkAttachmentDefinition default/gone: only upstream',
      'NetworkAttachmentDefinition default/new: only in the program',
      'NetworkAttachmentDefinition default/a spec.config.cniVersion: upstream "0.3.1", program "1.0.0"',
      'NetworkAttachmentDefinition default/a spec.config.vlan: upstream 7, program 8',
      'NetworkAttachmentDefinition default/a resourceName: upstream "intel.com/vf", program <absent>',
      'Pod default/p networks: upstream [{"interface":"n1","name":"a","namespace":"default"}], program [{"interface":"n2","name":"a","namespace":"default"},{"interface":"net2","name":"b","namespace":"default"}]',
      'Pod default/p devices.requests.intel.com/vf: upstream "2", program "1"',
    ]);
  });

  test('the order of the selection matters (it decides net1, net2, ...)', () => {
    expect(compareMeaning([pod('p', 'a,b')], [pod('p', 'b,a')]).differences).toEqual([
      'Pod default/p networks[0].name: upstream "a", program "b"',
      'Pod default/p networks[1].name: upstream "b", program "a"',
    ]);
  });

  test('workloads can be left out of the comparison', () => {
    expect(compareMeaning([pod('p', 'a')], [], { workloads: false }).differences).toEqual([]);
    expect(compareMeaning([pod('p', 'a')], []).differences).toEqual(['Pod default/p: only upstream']);
  });

  test('the default network is compared as a selection', () => {
    expect(compareMeaning([pod('p', undefined, { defaultNetwork: 'default/macvlan' })], [pod('p', undefined, { defaultNetwork: 'macvlan' })]).differences).toEqual([]);
  });
});

test('canonical sorts keys deeply; jsonDifferences reports leaf paths', () => {
  expect(JSON.stringify(canonical({ b: [{ d: 1, c: 2 }], a: 1 }))).toBe('{"a":1,"b":[{"c":2,"d":1}]}');
  expect(jsonDifferences('x', { a: [1, 2] }, { a: [1, 3] })).toEqual(['x.a[1]: upstream 2, program 3']);
  expect(jsonDifferences('x', { a: [1, 2] }, { a: [1] })).toEqual(['x.a: upstream [1,2], program [1]']);
});
