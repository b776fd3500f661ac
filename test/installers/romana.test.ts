import { App, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { Romana } from '../../lib/installers/romana';
import { RomanaChart } from '../../examples/cluster/romana';
import { Multus as RealMultus } from '../../lib/installers/multus';
import { expectValidObjects } from '../util/schema';

function synth(props = {}): any[] {
  const chart = Testing.chart();
  new Romana(chart, 'Romana', props);
  return Testing.synth(chart);
}
const find = (objs: any[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);

/** Stands for the Multus construct: the guards recognise Multus by class name. */
class Multus extends Construct {}

describe('Romana defaults compared with romana-kubeadm.yml (v2.0.2), converted to Kubernetes 1.27 APIs', () => {
  const objs = synth();
  const tolerations = [
    { key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' },
    // Intended difference: the control-plane taint of Kubernetes 1.25+ is tolerated too.
    { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' },
  ];

  test('the 12 objects, with the API versions 1.27 serves', () => {
    // Intended differences: extensions/v1beta1 -> apps/v1, rbac v1beta1 -> v1 (both removed from Kubernetes).
    expect(objs.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort()).toEqual([
      'apps/v1 DaemonSet/kube-system/romana-agent',
      'apps/v1 Deployment/kube-system/romana-daemon',
      'apps/v1 Deployment/kube-system/romana-etcd',
      'apps/v1 Deployment/kube-system/romana-listener',
      'rbac.authorization.k8s.io/v1 ClusterRole//romana-agent',
      'rbac.authorization.k8s.io/v1 ClusterRole//romana-listener',
      'rbac.authorization.k8s.io/v1 ClusterRoleBinding//romana-agent',
      'rbac.authorization.k8s.io/v1 ClusterRoleBinding//romana-listener',
      'v1 Service/kube-system/romana',
      'v1 Service/kube-system/romana-etcd',
      'v1 ServiceAccount/kube-system/romana-agent',
      'v1 ServiceAccount/kube-system/romana-listener',
    ]);
  });

  test('RBAC rules are exactly upstream', () => {
    expect(find(objs, 'ClusterRole', 'romana-listener').rules).toEqual([
      { apiGroups: ['*'], resources: ['pods', 'namespaces', 'nodes', 'endpoints'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['extensions'], resources: ['networkpolicies'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['*'], resources: ['services'], verbs: ['update', 'list', 'watch'] },
    ]);
    expect(find(objs, 'ClusterRole', 'romana-agent').rules).toEqual([{ apiGroups: ['*'], resources: ['pods', 'nodes'], verbs: ['get'] }]);
    for (const n of ['romana-listener', 'romana-agent']) {
      expect(find(objs, 'ClusterRoleBinding', n).roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: n });
      expect(find(objs, 'ClusterRoleBinding', n).subjects).toEqual([{ kind: 'ServiceAccount', name: n, namespace: 'kube-system' }]);
    }
  });

  test('Services on the fixed cluster IPs the agent depends on', () => {
    expect(find(objs, 'Service', 'romana-etcd').spec).toEqual({
      clusterIP: '10.96.0.88', ports: [{ name: 'etcd', port: 12379, protocol: 'TCP', targetPort: 12379 }],
      selector: { 'romana-app': 'etcd' }, sessionAffinity: 'None', type: 'ClusterIP',
    });
    expect(find(objs, 'Service', 'romana').spec).toEqual({
      clusterIP: '10.96.0.99', ports: [{ name: 'daemon', port: 9600, protocol: 'TCP', targetPort: 9600 }],
      selector: { 'romana-app': 'daemon' }, sessionAffinity: 'None', type: 'ClusterIP',
    });
  });

  test('Deployments: selectors added, control-plane placement, hostNetwork', () => {
    for (const [name, app] of [['romana-etcd', 'etcd'], ['romana-daemon', 'daemon'], ['romana-listener', 'listener']]) {
      const d = find(objs, 'Deployment', name);
      expect(d.spec.replicas).toBe(1);
      // apps/v1 requires the selector extensions/v1beta1 defaulted from the template labels
      expect(d.spec.selector).toEqual({ matchLabels: { 'romana-app': app } });
      expect(d.spec.template.metadata.labels).toEqual({ 'romana-app': app });
      const pod = d.spec.template.spec;
      // Intended difference: the master label is no longer set on 1.24+ nodes; control-plane is.
      expect(pod.nodeSelector).toEqual({ 'node-role.kubernetes.io/control-plane': '' });
      expect(pod.hostNetwork).toBe(true);
      expect(pod.tolerations).toEqual(tolerations);
    }
    const etcd = find(objs, 'Deployment', 'romana-etcd').spec.template.spec;
    expect(etcd.securityContext).toEqual({ seLinuxOptions: { type: 'spc_t' } });
    expect(etcd.containers[0].command).toEqual(['etcd', '--listen-client-urls=http://0.0.0.0:12379', '--listen-peer-urls=http://127.0.0.1:12380',
      '--advertise-client-urls=http://10.96.0.88:12379', '--data-dir=/var/etcd/data']);
    expect(etcd.volumes).toEqual([{ name: 'etcd-data', hostPath: { path: '/var/lib/romana/etcd-db' } }]);
    expect(etcd.containers[0].livenessProbe.httpGet).toEqual({ path: '/health', port: 12379, host: '127.0.0.1' });
    expect(find(objs, 'Deployment', 'romana-listener').spec.template.spec.serviceAccountName).toBe('romana-listener');
    // upstream's args are commented out: none are written with the defaults
    expect(find(objs, 'Deployment', 'romana-daemon').spec.template.spec.containers[0].args).toBeUndefined();
  });

  test('agent DaemonSet: hostNetwork, privileged, spc_t, env, hostPaths, no priority class', () => {
    const ds = find(objs, 'DaemonSet', 'romana-agent');
    expect(ds.spec.selector).toEqual({ matchLabels: { 'romana-app': 'agent' } });
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
    const pod = ds.spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBeUndefined();
    expect(pod.priorityClassName).toBeUndefined();
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.serviceAccountName).toBe('romana-agent');
    expect(pod.securityContext).toEqual({ seLinuxOptions: { type: 'spc_t' } });
    expect(pod.tolerations).toEqual(tolerations);
    const c = pod.containers[0];
    expect(c.securityContext).toEqual({ privileged: true });
    expect(c.env).toEqual([
      { name: 'NODENAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'NODEIP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
    ]);
    const vols = Object.fromEntries(pod.volumes.map((v: any) => [v.name, v.hostPath.path]));
    expect(vols).toEqual({
      'host-usr-local-bin': '/usr/local/bin', 'host-etc-romana': '/etc/romana', 'host-cni-bin': '/opt/cni/bin',
      'host-cni-net-d': '/etc/cni/net.d', 'run-path': '/var/run/romana', 'host-etc-rlog': '/etc/rlog',
    });
    expect(c.volumeMounts.map((m: any) => `${m.name}:${m.mountPath}`)).toEqual([
      'host-usr-local-bin:/host/usr/local/bin', 'host-etc-romana:/host/etc/romana', 'host-cni-bin:/host/opt/cni/bin',
      'host-cni-net-d:/host/etc/cni/net.d', 'run-path:/var/run/romana', 'host-etc-rlog:/host/etc/rlog',
    ]);
  });

  test('images pinned at v2.0.2 (etcd 3.0.17)', () => {
    const images = objs.filter((o) => o.spec?.template).flatMap((o) => o.spec.template.spec.containers.map((c: any) => c.image)).sort();
    expect(images).toEqual(['gcr.io/google_containers/etcd-amd64:3.0.17', 'quay.io/romana/agent:v2.0.2', 'quay.io/romana/daemon:v2.0.2', 'quay.io/romana/listener:v2.0.2']);
    // Intended difference: upstream pulls Always; with pinned tags IfNotPresent is right.
    for (const o of objs.filter((x) => x.spec?.template)) for (const c of o.spec.template.spec.containers) expect(c.imagePullPolicy).toBe('IfNotPresent');
  });

  test('valid against the Kubernetes 1.27 schemas', () => expectValidObjects(objs));
});

describe('Romana typed options', () => {
  test('network CIDR, service range, mtu, nat and etcd become args and Services', () => {
    const objs = synth({ networkCidr: '10.200.0.0/16', serviceClusterIpRange: '10.100.0.0/16', mtu: 1450, nat: false, etcd: { clusterIP: '10.100.0.88' }, daemonClusterIP: '10.100.0.99' });
    expect(find(objs, 'Deployment', 'romana-daemon').spec.template.spec.containers[0].args)
      .toEqual(['--network-cidr-overrides=romana-network=10.200.0.0/16', '--service-cluster-ip-range=10.100.0.0/16']);
    expect(find(objs, 'DaemonSet', 'romana-agent').spec.template.spec.containers[0].args)
      .toEqual(['--service-cluster-ip-range=10.100.0.0/16', '--mtu=1450', '--nat=false']);
    expect(find(objs, 'Service', 'romana-etcd').spec.clusterIP).toBe('10.100.0.88');
    expect(find(objs, 'Deployment', 'romana-etcd').spec.template.spec.containers[0].command).toContain('--advertise-client-urls=http://10.100.0.88:12379');
    expectValidObjects(objs);
  });

  test('fails on fixed cluster IPs outside the service range', () => {
    expect(() => synth({ serviceClusterIpRange: '10.100.0.0/16' }))
      .toThrow(/'etcd.clusterIP' is outside the service range 10.100.0.0\/16: got "10.96.0.88"; pick a free address inside serviceClusterIpRange/);
  });

  test('fails on a bad or overlapping network CIDR', () => {
    expect(() => synth({ networkCidr: 'ten' })).toThrow(/'networkCidr' is not an IPv4 prefix: got "ten"/);
    expect(() => synth({ networkCidr: '10.96.0.0/16' })).toThrow(/'networkCidr' overlaps the service range 10.96.0.0\/12/);
  });

  test('fails with Multus in the same cluster', () => {
    const chart = Testing.chart();
    new Multus(chart, 'Multus');
    new Romana(chart, 'Romana');
    expect(() => Testing.synth(chart)).toThrow(/'romana' refuses to install its 10-romana.conf while another \*.conf exists/);
  });

  test('the example chart synthesizes valid objects', () => {
    const objs = new RomanaChart(new App(), 'romana').toJson();
    expect(objs).toHaveLength(12);
    expectValidObjects(objs);
  });
});

describe('Romana with the real Multus construct', () => {
  test('fails', () => {
    const chart = Testing.chart();
    new RealMultus(chart, 'Multus');
    new Romana(chart, 'Romana');
    expect(() => Testing.synth(chart)).toThrow(/'romana' refuses to install/);
  });
});
