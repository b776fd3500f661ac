import { Recorder, installRecordingMocks, urnsOf } from '../util/pulumi-mocks';

// The module under test is loaded only after the mocks are installed (see beforeAll).
type KindsModule = typeof import('../../lib/pulumi/kinds');
type K8sModule = typeof import('@pulumi/kubernetes');
let kinds: KindsModule;
let k8s: K8sModule;
let rec: Recorder;

beforeAll(async () => {
  rec = await installRecordingMocks();
  kinds = await import('../../lib/pulumi/kinds');
  k8s = await import('@pulumi/kubernetes');
});

describe('the typed-kind table', () => {
  test('the typed-kind table lists exactly the fields each class sends', () => {
    for (const [key, t] of kinds.TYPED_KINDS) {
      expect(key).toBe(`${t.apiVersion}/${t.kind}`);
      const source = t.resource.toString();
      const sent = [...source.matchAll(/resourceInputs\["(\w+)"\] = (?!undefined)/g)].map((m) => m[1])
        .filter((f) => f !== 'apiVersion' && f !== 'kind');
      expect([...new Set(sent)].sort()).toEqual([...t.fields].sort());
      expect(source).toContain(`resourceInputs["apiVersion"] = "${t.apiVersion}"`);
      expect(source).toContain(`resourceInputs["kind"] = "${t.kind}"`);
    }
  });

  test('built-in kinds map to their typed class; custom resources and unknown versions do not', () => {
    expect(kinds.typedKindOf({ apiVersion: 'apps/v1', kind: 'Deployment' } as any)?.resource).toBe(k8s.apps.v1.Deployment);
    expect(kinds.typedKindOf({ apiVersion: 'v1', kind: 'ConfigMap' } as any)?.fields).toEqual(['binaryData', 'data', 'immutable', 'metadata']);
    expect(kinds.typedKindOf({ apiVersion: 'v1', kind: 'Service' } as any)?.fields).toEqual(['metadata', 'spec']);
    expect(kinds.typedKindOf({ apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition' } as any)).toBeUndefined();
    expect(kinds.typedKindOf({ apiVersion: 'apps/v1beta1', kind: 'Deployment' } as any)).toBeUndefined();
    expect(kinds.typedKindOf({ apiVersion: 'v1', kind: 'deployment' } as any)).toBeUndefined();
  });
});

describe('createKubeResource', () => {
  test('a typed kind is created with its typed class, a custom resource as a CustomResource with every field', async () => {
    const cm = kinds.createKubeResource('k-cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: 'b' } } as any, {}, 'x');
    const nad = kinds.createKubeResource('k-nad', {
      apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'n' }, spec: { config: '{}' }, extra: 1,
    } as any, {}, 'x');
    expect(cm).toBeInstanceOf(k8s.core.v1.ConfigMap);
    expect(nad).toBeInstanceOf(k8s.apiextensions.CustomResource);
    const [cmUrn, nadUrn] = await urnsOf([cm, nad]);
    expect(rec.byUrn(cmUrn).type).toBe('kubernetes:core/v1:ConfigMap');
    expect(rec.byUrn(cmUrn).inputs.data).toEqual({ a: 'b' });
    const nadReg = rec.byUrn(nadUrn);
    expect(nadReg.type).toBe('kubernetes:k8s.cni.cncf.io/v1:NetworkAttachmentDefinition');
    expect(nadReg.inputs.spec).toEqual({ config: '{}' });
    expect(nadReg.inputs.extra).toBe(1);
  });

  test('fails on a top-level field the typed class would drop, naming the field and the fields allowed', () => {
    expect(() => kinds.createKubeResource('k-bad', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 's' }, spec: { x: 1 } } as any, {}, 'objs[0]'))
      .toThrow(/^'objs\[0\]\.spec' is not a field of v1 ServiceAccount that Pulumi sends: got \{"x":1\}; remove it from the object \(write only automountServiceAccountToken, imagePullSecrets, metadata, secrets\)$/);
  });
});
