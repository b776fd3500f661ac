import { Testing } from 'cdk8s';
import { networkAttachmentDefinitionCrd, simpleCrd } from '../../lib/installers/crd';
import { expectValidObjects } from '../util/schema';

describe('networkAttachmentDefinitionCrd', () => {
  test('the NAD CRD: name, group, names, one served storage version v1, namespaced', () => {
    const chart = Testing.chart();
    networkAttachmentDefinitionCrd(chart, 'Crd');
    const [crd, ...rest] = Testing.synth(chart);
    expect(rest).toEqual([]);
    expect(crd.apiVersion).toBe('apiextensions.k8s.io/v1');
    expect(crd.kind).toBe('CustomResourceDefinition');
    expect(crd.metadata.name).toBe('network-attachment-definitions.k8s.cni.cncf.io');
    expect(crd.spec.group).toBe('k8s.cni.cncf.io');
    expect(crd.spec.scope).toBe('Namespaced');
    expect(crd.spec.names).toEqual({
      kind: 'NetworkAttachmentDefinition', listKind: 'NetworkAttachmentDefinitionList',
      plural: 'network-attachment-definitions', singular: 'network-attachment-definition', shortNames: ['nad', 'net-attach-def'],
    });
    expect(crd.spec.versions.map((v: any) => [v.name, v.served, v.storage])).toEqual([['v1', true, true]]);
    expect(crd.spec.versions[0].subresources).toBeUndefined();
    const schema = crd.spec.versions[0].schema.openAPIV3Schema;
    expect(schema.type).toBe('object');
    expect(schema.properties.spec.properties.config.type).toBe('string');
    expectValidObjects([crd]);
  });

  test('a NAD validated against it: config must be a string', () => {
    const chart = Testing.chart();
    networkAttachmentDefinitionCrd(chart, 'Crd');
    const [crd] = Testing.synth(chart);
    const nad = { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'n', namespace: 'default' }, spec: { config: '{}' } };
    expectValidObjects([crd, nad]);
    expect(() => expectValidObjects([crd, { ...nad, spec: { config: { cniVersion: '1.0.0' } } }])).toThrow(/NetworkAttachmentDefinition\/n: .*config.*must be string/);
  });
});

describe('simpleCrd', () => {
  test('defaults: singular is the kind in lowercase, Namespaced, no status subresource, no short names', () => {
    const chart = Testing.chart();
    simpleCrd(chart, 'Pools', {
      group: 'whereabouts.cni.cncf.io', version: 'v1alpha1', kind: 'IPPool', plural: 'ippools',
      schema: { type: 'object', properties: { spec: { type: 'object', xKubernetesPreserveUnknownFields: true } } },
    });
    const [crd] = Testing.synth(chart);
    expect(crd.metadata).toEqual({ name: 'ippools.whereabouts.cni.cncf.io' });
    expect(crd.spec.scope).toBe('Namespaced');
    expect(crd.spec.names).toEqual({ kind: 'IPPool', listKind: 'IPPoolList', plural: 'ippools', singular: 'ippool' });
    expect(crd.spec.versions).toHaveLength(1);
    expect(crd.spec.versions[0].name).toBe('v1alpha1');
    expect(crd.spec.versions[0].schema.openAPIV3Schema.properties.spec).toEqual({ 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(crd.spec.versions[0].subresources).toBeUndefined();
    expectValidObjects([crd]);
  });

  test('Cluster scope, status subresource, labels and annotations', () => {
    const chart = Testing.chart();
    simpleCrd(chart, 'Crd', {
      group: 'example.com', version: 'v2', kind: 'Widget', plural: 'widgets', singular: 'widget-one', shortNames: ['wd'],
      scope: 'Cluster', statusSubresource: true, labels: { app: 'x' }, annotations: { note: 'y' },
      schema: { type: 'object' },
    });
    const [crd] = Testing.synth(chart);
    expect(crd.metadata).toEqual({ name: 'widgets.example.com', labels: { app: 'x' }, annotations: { note: 'y' } });
    expect(crd.spec.scope).toBe('Cluster');
    expect(crd.spec.names.singular).toBe('widget-one');
    expect(crd.spec.names.shortNames).toEqual(['wd']);
    expect(crd.spec.versions[0].subresources).toEqual({ status: {} });
    expectValidObjects([crd]);
  });
});
