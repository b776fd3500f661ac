import { formatDifferences, meaningful, quantityValue, subsetDifferences } from '../../lib/toolchain/subset';

describe('subsetDifferences', () => {
  test('what the server adds is ignored; everything written must be there and equal', () => {
    const written = { spec: { replicas: 1, template: { spec: { containers: [{ name: 'a', image: 'x:1' }] } } } };
    const stored = {
      spec: { replicas: 1, revisionHistoryLimit: 10, template: { spec: { containers: [{ name: 'a', image: 'x:1', imagePullPolicy: 'IfNotPresent' }], dnsPolicy: 'ClusterFirst' } } },
      status: {},
    };
    expect(subsetDifferences(written, stored)).toEqual([]);
  });

  test('reports dropped and changed fields with their paths', () => {
    const written = { metadata: { annotations: { 'k8s.v1.cni.cncf.io/networks': '[]' } }, spec: { cpu: '0.5', ports: [{ port: 80 }], extra: { a: 1 } } };
    const stored = { metadata: {}, spec: { cpu: '500m', ports: [{ port: 80 }] } };
    const d = subsetDifferences(written, stored);
    expect(d).toEqual([
      { path: 'metadata.annotations', kind: 'dropped', written: { 'k8s.v1.cni.cncf.io/networks': '[]' } },
      { path: 'spec.cpu', kind: 'normalized', written: '0.5', stored: '500m' },
      { path: 'spec.extra', kind: 'dropped', written: { a: 1 } },
    ]);
    expect(formatDifferences(d)).toEqual([
      'metadata.annotations: dropped (written {"k8s.v1.cni.cncf.io/networks":"[]"}, omitted by the server)',
      'spec.cpu: normalized from "0.5" to "500m"',
      'spec.extra: dropped (written {"a":1}, omitted by the server)',
    ]);
  });

  test('a zero value the server omits and a quantity it makes canonical keep the meaning: normalized, not meaningful', () => {
    const written = { hostNetwork: false, minReadySeconds: 0, mounts: [{ readOnly: false }], limits: { memory: '2048Mi', cpu: '1000m' }, image: '' };
    const stored = { mounts: [{}], limits: { memory: '2Gi', cpu: '1' } };
    const d = subsetDifferences(written, stored);
    expect(d.map((x) => [x.path, x.kind])).toEqual([
      ['hostNetwork', 'normalized'], ['minReadySeconds', 'normalized'], ['mounts[0].readOnly', 'normalized'],
      ['limits.memory', 'normalized'], ['limits.cpu', 'normalized'], ['image', 'normalized'],
    ]);
    expect(meaningful(d)).toEqual([]);
    expect(meaningful(subsetDifferences({ memory: '2Gi', replicas: 1 }, { memory: '2G' }))).toEqual([
      { path: 'memory', kind: 'changed', written: '2Gi', stored: '2G' },
      { path: 'replicas', kind: 'dropped', written: 1 },
    ]);
  });

  test('quantityValue reads decimal, binary and exponent suffixes', () => {
    expect(['1', '1000m', '0.5', '500m', '2Gi', '2048Mi', '1k', '1e3', '.5', '100u', '3n'].map(quantityValue)).toEqual([1, 1, 0.5, 0.5, 2 ** 31, 2 ** 31, 1000, 1000, 0.5, 100e-6, 3e-9]);
    expect(['', 'abc', '1Xi', '1 Gi', '--1'].map(quantityValue)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  test('lists keep their length and order; keys that are not identifiers are quoted', () => {
    expect(subsetDifferences({ a: [1, 2] }, { a: [1] })).toEqual([{ path: 'a', kind: 'changed', written: [1, 2], stored: [1] }]);
    expect(subsetDifferences({ a: [{ x: 1 }, { x: 2 }] }, { a: [{ x: 1 }, { x: 3 }] })).toEqual([{ path: 'a[1].x', kind: 'changed', written: 2, stored: 3 }]);
    expect(subsetDifferences({ labels: { 'app.kubernetes.io/name': 'n' } }, { labels: {} })[0].path).toBe('labels["app.kubernetes.io/name"]');
  });

  test('a written null means unset; types must match (1 is not "1")', () => {
    expect(subsetDifferences({ a: null, b: 1 }, { b: 1 })).toEqual([]);
    expect(subsetDifferences({ b: 1 }, { b: '1' })).toEqual([{ path: 'b', kind: 'changed', written: 1, stored: '1' }]);
    expect(subsetDifferences({ b: { c: 1 } }, { b: 'x' })).toEqual([{ path: 'b', kind: 'changed', written: { c: 1 }, stored: 'x' }]);
  });
});
