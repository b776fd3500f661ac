import { applyRank, compareStored, inApplyOrder, withoutServerFields } from '../../lib/toolchain/apply-manifests';
import { KubeObject } from '../../lib/toolchain/kube-client';

const obj = (kind: string, name: string, apiVersion = 'v1'): KubeObject => ({ apiVersion, kind, metadata: { name } });

describe('apply order', () => {
  test('CRDs, then Namespaces, then the rest in written order, admission webhooks and APIServices last', () => {
    const objects = [
      obj('ValidatingWebhookConfiguration', 'w', 'admissionregistration.k8s.io/v1'),
      obj('ConfigMap', 'c'),
      obj('NetworkAttachmentDefinition', 'n', 'k8s.cni.cncf.io/v1'),
      obj('Namespace', 'ns'),
      obj('CustomResourceDefinition', 'crd', 'apiextensions.k8s.io/v1'),
      obj('APIService', 'a', 'apiregistration.k8s.io/v1'),
    ];
    expect(inApplyOrder(objects).map((o) => o.metadata.name)).toEqual(['crd', 'ns', 'c', 'n', 'w', 'a']);
    expect(objects.map(applyRank)).toEqual([3, 2, 2, 1, 0, 3]);
  });
});

describe('compareStored', () => {
  test('ignores status and the metadata the server sets', () => {
    const stored = {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'default', uid: 'u', resourceVersion: '5', creationTimestamp: 't', managedFields: [], generation: 1 },
      data: { a: 'b' },
      status: { x: 1 },
    };
    expect(withoutServerFields(stored)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { a: 'b' } });
    expect(compareStored({ ...obj('ConfigMap', 'c'), data: { a: 'b' }, status: { y: 2 } } as KubeObject, stored)).toEqual([]);
    expect(compareStored({ ...obj('ConfigMap', 'c'), metadata: { name: 'c', uid: 'mine' } }, stored)).toEqual([
      { path: 'metadata.uid', kind: 'dropped', written: 'mine' },
    ]);
  });
});
