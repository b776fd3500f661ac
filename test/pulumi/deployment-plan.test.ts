import {
  DependencyReason, KubeObject, apiGroup, networkReferences, objectKey, objectSuffix, planDeployment, podSpecReferences, podTemplateOf,
} from '../../lib/pulumi/deployment-plan';

const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const nad = (name: string, namespace?: string): KubeObject => ({
  apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace }, spec: {},
});
const crd = (group: string, kind: string, plural: string): KubeObject => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${plural}.${group}` },
  spec: { group, names: { kind, plural }, scope: 'Namespaced', versions: [] },
});
const deployment = (name: string, namespace: string | undefined, annotations: Record<string, string>, spec: object = { containers: [] }): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
  spec: { selector: {}, template: { metadata: { annotations }, spec } },
});

/** The plan as `key <- dependency keys`, in plan order. */
function edges(objects: KubeObject[]): string[] {
  return planDeployment(objects).map((p) => `${p.key} <- ${p.dependencies.map((d) => d.key).join(', ')}`);
}

describe('keys and names', () => {
  test('apiGroup, objectKey and objectSuffix follow kubectl naming', () => {
    expect(apiGroup('v1')).toBe('');
    expect(apiGroup('apps/v1')).toBe('apps');
    expect(objectKey('apps/v1', 'Deployment', 'upf', 'ran')).toBe('apps/v1/Deployment/ran/upf');
    expect(objectKey('v1', 'Namespace', 'ran')).toBe('v1/Namespace/ran');
    expect(objectSuffix(nad('n3', 'ran'))).toBe('networkattachmentdefinition.k8s.cni.cncf.io-ran/n3');
    expect(objectSuffix(ns('ran'))).toBe('namespace-ran');
    // Namespace and name are split by '/', which neither may contain: no two objects share a suffix.
    expect(objectSuffix({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b-c', namespace: 'a' } }))
      .not.toBe(objectSuffix({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'a-b' } }));
  });
});

describe('network references', () => {
  test('reads the JSON form, with and without a namespace', () => {
    expect(networkReferences({ 'k8s.v1.cni.cncf.io/networks': '[{"name":"n3","namespace":"core","interface":"n3"},{"name":"n6"}]' }, 'ran'))
      .toEqual(['core/n3', 'ran/n6']);
  });

  test('reads the short form with namespaces and interfaces', () => {
    expect(networkReferences({ 'k8s.v1.cni.cncf.io/networks': 'core/n3@n3, n6 ,n6@second' }, 'ran')).toEqual(['core/n3', 'ran/n6']);
  });

  test('reads the default-network annotation', () => {
    expect(networkReferences({ 'v1.multus-cni.io/default-network': 'kube-system/calico' }, 'ran')).toEqual(['kube-system/calico']);
  });

  test('an unqualified reference in a pod without namespace has an empty namespace', () => {
    expect(networkReferences({ 'k8s.v1.cni.cncf.io/networks': 'n3' }, undefined)).toEqual(['/n3']);
  });

  test('unparsable or missing annotations yield no reference', () => {
    expect(networkReferences({ 'k8s.v1.cni.cncf.io/networks': '[{"name": ' }, 'ran')).toEqual([]);
    expect(networkReferences(undefined, 'ran')).toEqual([]);
    expect(networkReferences({ 'k8s.v1.cni.cncf.io/networks': '' }, 'ran')).toEqual([]);
  });
});

describe('pod templates', () => {
  test('finds the template of each workload kind, and none for other kinds', () => {
    const t = { metadata: { annotations: { a: 'b' } }, spec: { containers: [] } };
    expect(podTemplateOf({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: t } } } })).toEqual(t);
    expect(podTemplateOf({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations: { a: 'b' } }, spec: { containers: [] } }))
      .toEqual({ metadata: { name: 'p', annotations: { a: 'b' } }, spec: { containers: [] } });
    expect(podTemplateOf({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { template: t } })).toEqual(t);
    expect(podTemplateOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toBeUndefined();
    // A custom kind that happens to be called Deployment is not a workload.
    expect(podTemplateOf({ apiVersion: 'example.com/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: t } })).toBeUndefined();
  });

  test('finds the ServiceAccount, ConfigMaps, Secrets and claims a pod spec names', () => {
    expect(podSpecReferences({
      serviceAccountName: 'upf',
      imagePullSecrets: [{ name: 'pull' }],
      volumes: [
        { name: 'a', configMap: { name: 'cfg' } },
        { name: 'b', secret: { secretName: 'tls' } },
        { name: 'c', persistentVolumeClaim: { claimName: 'data' } },
        { name: 'd', projected: { sources: [{ configMap: { name: 'p-cfg' } }, { secret: { name: 'p-sec' } }] } },
      ],
      initContainers: [{ name: 'i', envFrom: [{ configMapRef: { name: 'env-cfg' } }, { secretRef: { name: 'env-sec' } }] }],
      containers: [{ name: 'm', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'key-cfg', key: 'k' } } }, { name: 'Y', valueFrom: { secretKeyRef: { name: 'key-sec', key: 'k' } } }] }],
    }).sort()).toEqual([
      'ConfigMap/cfg', 'ConfigMap/env-cfg', 'ConfigMap/key-cfg', 'ConfigMap/p-cfg', 'PersistentVolumeClaim/data',
      'Secret/env-sec', 'Secret/key-sec', 'Secret/p-sec', 'Secret/pull', 'Secret/tls', 'ServiceAccount/upf',
    ]);
    expect(podSpecReferences(undefined)).toEqual([]);
  });
});

describe('planDeployment', () => {
  test('puts namespaces, CRDs and NADs before what needs them, keeping input order otherwise', () => {
    const objects = [
      deployment('upf', 'ran', { 'k8s.v1.cni.cncf.io/networks': 'n3@n3' }),
      nad('n3', 'ran'),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'free' } },
      crd('k8s.cni.cncf.io', 'NetworkAttachmentDefinition', 'network-attachment-definitions'),
      ns('ran'),
    ];
    expect(edges(objects)).toEqual([
      'v1/ConfigMap/free <- ',
      'apiextensions.k8s.io/v1/CustomResourceDefinition/network-attachment-definitions.k8s.cni.cncf.io <- ',
      'v1/Namespace/ran <- ',
      'k8s.cni.cncf.io/v1/NetworkAttachmentDefinition/ran/n3 <- apiextensions.k8s.io/v1/CustomResourceDefinition/network-attachment-definitions.k8s.cni.cncf.io, v1/Namespace/ran',
      'apps/v1/Deployment/ran/upf <- v1/Namespace/ran, k8s.cni.cncf.io/v1/NetworkAttachmentDefinition/ran/n3',
    ]);
    const plan = planDeployment(objects);
    expect(plan[4].dependencies.map((d) => d.reason)).toEqual([DependencyReason.NAMESPACE, DependencyReason.NETWORK_ATTACHMENT]);
    expect(plan[3].dependencies.map((d) => d.reason)).toEqual([DependencyReason.CUSTOM_RESOURCE_DEFINITION, DependencyReason.NAMESPACE]);
    expect(plan[3].object).toBe(objects[1]);
  });

  test('links a NAD in another namespace only when the reference names that namespace', () => {
    const objects = [nad('n3', 'core'), nad('n3', 'ran'), deployment('a', 'ran', { 'k8s.v1.cni.cncf.io/networks': 'core/n3' }), deployment('b', 'ran', { 'k8s.v1.cni.cncf.io/networks': 'n3' })];
    expect(edges(objects).slice(2)).toEqual([
      'apps/v1/Deployment/ran/a <- k8s.cni.cncf.io/v1/NetworkAttachmentDefinition/core/n3',
      'apps/v1/Deployment/ran/b <- k8s.cni.cncf.io/v1/NetworkAttachmentDefinition/ran/n3',
    ]);
  });

  test('links pod references in the same namespace only', () => {
    const objects: KubeObject[] = [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'upf', namespace: 'ran' } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'upf', namespace: 'other' } },
      deployment('upf', 'ran', {}, { serviceAccountName: 'upf', containers: [] }),
    ];
    expect(edges(objects)[2]).toBe('apps/v1/Deployment/ran/upf <- v1/ServiceAccount/ran/upf');
  });

  test('a reference to an object outside the plan adds no dependency', () => {
    expect(edges([deployment('upf', 'ran', { 'k8s.v1.cni.cncf.io/networks': 'elsewhere' }, { serviceAccountName: 'x', containers: [] })]))
      .toEqual(['apps/v1/Deployment/ran/upf <- ']);
  });

  test('links custom resources to their CRD by group and kind', () => {
    const pool = { apiVersion: 'whereabouts.cni.cncf.io/v1alpha1', kind: 'IPPool', metadata: { name: '10.1.0.0-24', namespace: 'kube-system' }, spec: {} };
    const other = { apiVersion: 'example.com/v1', kind: 'IPPool', metadata: { name: 'x' } };
    expect(edges([pool, other, crd('whereabouts.cni.cncf.io', 'IPPool', 'ippools')])).toEqual([
      'example.com/v1/IPPool/x <- ',
      'apiextensions.k8s.io/v1/CustomResourceDefinition/ippools.whereabouts.cni.cncf.io <- ',
      'whereabouts.cni.cncf.io/v1alpha1/IPPool/kube-system/10.1.0.0-24 <- apiextensions.k8s.io/v1/CustomResourceDefinition/ippools.whereabouts.cni.cncf.io',
    ]);
  });

  test('takes extra dependencies by index', () => {
    const plan = planDeployment([ns('a'), ns('b')], [{ from: 0, to: 1 }]);
    expect(plan.map((p) => p.key)).toEqual(['v1/Namespace/b', 'v1/Namespace/a']);
    expect(plan[1].dependencies).toEqual([{ key: 'v1/Namespace/b', reason: DependencyReason.CONSTRUCT }]);
  });

  test('is deterministic', () => {
    const objects = [deployment('upf', 'ran', { 'k8s.v1.cni.cncf.io/networks': 'n3' }), nad('n3', 'ran'), ns('ran')];
    expect(JSON.stringify(planDeployment(objects))).toBe(JSON.stringify(planDeployment(objects)));
  });

  test('fails on a dependency cycle, naming the objects in it', () => {
    expect(() => planDeployment([ns('a'), ns('b'), ns('c')], [{ from: 0, to: 1 }, { from: 1, to: 0 }]))
      .toThrow(/^'objects' have a dependency cycle: got \["v1\/Namespace\/a","v1\/Namespace\/b"\]; remove the addDependency that closes the cycle$/);
  });

  test('fails on an object twice', () => {
    expect(() => planDeployment([ns('a'), ns('a')], [], ['first', 'second']))
      .toThrow(/^'second' appears twice in the deployment: got "v1\/Namespace\/a"; /);
  });

  test('fails on an object without a name, kind or apiVersion', () => {
    expect(() => planDeployment([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }]))
      .toThrow(/^'objects\[0\]\.metadata\.name' must be a non-empty string: got undefined; give the ConfigMap a name$/);
    expect(() => planDeployment([{ apiVersion: 'v1', metadata: { name: 'x' } } as unknown as KubeObject]))
      .toThrow(/^'objects\[0\]' must have an apiVersion and a kind: got \{"apiVersion":"v1","metadata":\{"name":"x"\}\}; /);
  });

  test('fails on an extra dependency outside the list', () => {
    expect(() => planDeployment([ns('a')], [{ from: 0, to: 3 }])).toThrow(/^'extra' names an object that is not in the list: got \{"from":0,"to":3\}; /);
  });
});
