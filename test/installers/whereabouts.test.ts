import { Testing } from 'cdk8s';
import { WhereaboutsChart } from '../../examples/cluster/whereabouts';
import { WhereaboutsLogLevel } from '../../lib/cni/ipam/whereabouts';
import { Whereabouts } from '../../lib/installers/whereabouts';
import { expectValidObjects, registerCrd } from '../util/schema';

const find = (objs: any[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);
function synth(props = {}): any[] {
  const chart = Testing.chart();
  new Whereabouts(chart, 'Whereabouts', props);
  return Testing.synth(chart);
}

// Facts of whereabouts v0.9.4 doc/crds/{daemonset-install,reconciler-deployment,whereabouts.cni.cncf.io_*}.yaml,
// written here (the tests never read the upstream files).
describe('Whereabouts defaults compared with v0.9.4', () => {
  const objs = synth();
  const ds = find(objs, 'DaemonSet', 'whereabouts');
  const pod = ds.spec.template.spec;

  test('object kinds and names', () => {
    expect(objs.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort()).toEqual([
      'ClusterRole//whereabouts-cni',
      'ClusterRoleBinding//whereabouts',
      'ConfigMap/kube-system/whereabouts-config',
      'CustomResourceDefinition//ippools.whereabouts.cni.cncf.io',
      'CustomResourceDefinition//nodeslicepools.whereabouts.cni.cncf.io',
      'CustomResourceDefinition//overlappingrangeipreservations.whereabouts.cni.cncf.io',
      'DaemonSet/kube-system/whereabouts',
      'Deployment/kube-system/whereabouts-reconciler',
      'ServiceAccount/kube-system/whereabouts',
    ]);
  });

  test('CRDs: group, version, kinds, namespaced', () => {
    const crds = objs.filter((o) => o.kind === 'CustomResourceDefinition');
    expect(crds.map((c) => [c.spec.names.kind, c.spec.names.plural, c.spec.names.singular, c.spec.names.listKind, c.spec.scope, c.spec.versions.map((v: any) => v.name)]).sort()).toEqual([
      ['IPPool', 'ippools', 'ippool', 'IPPoolList', 'Namespaced', ['v1alpha1']],
      ['NodeSlicePool', 'nodeslicepools', 'nodeslicepool', 'NodeSlicePoolList', 'Namespaced', ['v1alpha1']],
      ['OverlappingRangeIPReservation', 'overlappingrangeipreservations', 'overlappingrangeipreservation', 'OverlappingRangeIPReservationList', 'Namespaced', ['v1alpha1']],
    ]);
    for (const c of crds) {
      expect(c.spec.group).toBe('whereabouts.cni.cncf.io');
      // intended difference: the generated upstream schemas are simplified to objects whose spec
      // preserves unknown fields (the controller validates its own objects)
      expect(c.spec.versions[0].schema.openAPIV3Schema.properties.spec).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    }
  });

  test('RBAC rules are exactly upstream', () => {
    expect(find(objs, 'ClusterRole', 'whereabouts-cni').rules).toEqual([
      { apiGroups: ['whereabouts.cni.cncf.io'], resources: ['ippools', 'overlappingrangeipreservations', 'nodeslicepools'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['*'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch', 'get'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['k8s.cni.cncf.io'], resources: ['network-attachment-definitions'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update', 'get'] },
    ]);
    const crb = find(objs, 'ClusterRoleBinding', 'whereabouts');
    expect(crb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'whereabouts-cni' });
    expect(crb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'whereabouts', namespace: 'kube-system' }]);
  });

  test('ConfigMap key cron-expression', () => {
    expect(find(objs, 'ConfigMap', 'whereabouts-config').data).toEqual({ 'cron-expression': '30 4 * * *' });
  });

  test('DaemonSet: labels, hostNetwork, tolerations, env, privileged, resources, mounts', () => {
    expect(ds.spec.selector).toEqual({ matchLabels: { name: 'whereabouts' } });
    expect(ds.spec.template.metadata.labels).toEqual({ tier: 'node', app: 'whereabouts', name: 'whereabouts' });
    // the DaemonSet object itself carries the selector label too (upstream: tier, app only); harmless
    expect(ds.metadata.labels).toMatchObject({ tier: 'node', app: 'whereabouts' });
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBeUndefined();
    expect(pod.tolerations).toEqual([{ operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod.priorityClassName).toBeUndefined();
    // intended difference: linux nodeSelector (upstream: none)
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.serviceAccountName).toBe('whereabouts');
    const c = pod.containers[0];
    expect(c.name).toBe('whereabouts');
    expect(c.command).toEqual(['/bin/sh']);
    expect(c.args[0]).toBe('-c');
    expect(c.args[1].split('\n').filter(Boolean)).toEqual(['SLEEP=false source /install-cni.sh', '/token-watcher.sh &', '/ip-control-loop -log-level debug']);
    expect(c.env.map((e: any) => [e.name, e.valueFrom.fieldRef.fieldPath])).toEqual([['NODENAME', 'spec.nodeName'], ['WHEREABOUTS_NAMESPACE', 'metadata.namespace']]);
    expect(c.securityContext).toEqual({ privileged: true });
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '100Mi' }, limits: { cpu: '100m', memory: '200Mi' } });
    const vols = Object.fromEntries(pod.volumes.map((v: any) => [v.name, v.hostPath.path]));
    expect(c.volumeMounts.map((m: any) => [vols[m.name], m.mountPath])).toEqual([['/opt/cni/bin', '/host/opt/cni/bin'], ['/etc/cni/net.d', '/host/etc/cni/net.d']]);
    // intended difference: pinned v0.9.4 instead of :latest
    expect(c.image).toBe('ghcr.io/k8snetworkplumbingwg/whereabouts:v0.9.4');
  });

  test('reconciler Deployment: one replica, /ip-reconciler, the cron ConfigMap at /cron-schedule', () => {
    const d = find(objs, 'Deployment', 'whereabouts-reconciler');
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.selector).toEqual({ matchLabels: { name: 'whereabouts-reconciler' } });
    const p = d.spec.template.spec;
    expect(p.serviceAccountName).toBe('whereabouts');
    const c = p.containers[0];
    expect([c.command, c.args]).toEqual([['/ip-reconciler'], ['-log-level', 'debug']]);
    expect(c.env.map((e: any) => e.name)).toEqual(['WHEREABOUTS_NAMESPACE']);
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: '100m', memory: '50Mi' } });
    expect(c.volumeMounts).toEqual([{ name: 'cron-scheduler-configmap', mountPath: '/cron-schedule' }]);
    expect(p.volumes).toEqual([{ name: 'cron-scheduler-configmap', configMap: { name: 'whereabouts-config', defaultMode: 0o744, items: [{ key: 'cron-expression', path: 'config' }] } }]);
    expect(c.image).toBe('ghcr.io/k8snetworkplumbingwg/whereabouts:v0.9.4');
  });

  test('valid against the Kubernetes 1.27 schemas; an IPPool validates against the CRD', () => {
    expectValidObjects(objs);
    for (const crd of objs.filter((o) => o.kind === 'CustomResourceDefinition')) registerCrd(crd);
    expectValidObjects([{ apiVersion: 'whereabouts.cni.cncf.io/v1alpha1', kind: 'IPPool', metadata: { name: '10.1.0.0-24' }, spec: { range: '10.1.0.0/24', allocations: {} } }]);
  });
});

describe('options', () => {
  test('schedule, log level, no reconciler, no CRDs', () => {
    const objs = synth({ reconcilerSchedule: '*/15 * * * *', logLevel: WhereaboutsLogLevel.ERROR, reconciler: false, installCrds: false });
    expect(objs.map((o) => o.kind).sort()).toEqual(['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'DaemonSet', 'ServiceAccount']);
    expect(find(objs, 'ConfigMap', 'whereabouts-config').data['cron-expression']).toBe('*/15 * * * *');
    const c = find(objs, 'DaemonSet', 'whereabouts').spec.template.spec.containers[0];
    expect(c.args[1]).toContain('/ip-control-loop -log-level error');
    expect(c.env).toContainEqual({ name: 'WHEREABOUTS_RECONCILER_CRON', value: '*/15 * * * *' });
  });

  test('fails on a bad cron expression', () => {
    expect(() => synth({ reconcilerSchedule: 'every day' })).toThrow(/'reconcilerSchedule' is not a 5-field cron expression: got "every day"; write minute hour/);
  });

  test('provides the whereabouts IPAM type', () => {
    expect(new Whereabouts(Testing.chart(), 'W').providedCniTypes).toEqual(['whereabouts']);
  });
});

test('example chart synthesizes with id whereabouts and is valid', () => {
  const objs = Testing.synth(new WhereaboutsChart(Testing.app(), 'whereabouts'));
  expect(objs).toHaveLength(9);
  expectValidObjects(objs);
});
