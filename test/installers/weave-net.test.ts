import { App, Testing } from 'cdk8s';
import { WeaveIptablesBackend, WeaveNet } from '../../lib/installers/weave-net';
import { WeaveNetChart } from '../../examples/cluster/weave-net';
import { expectValidObjects } from '../util/schema';

function synth(props = {}): any[] {
  const chart = Testing.chart();
  new WeaveNet(chart, 'WeaveNet', props);
  return Testing.synth(chart);
}
const find = (objs: any[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);

describe('Weave Net defaults compared with weave-daemonset-k8s.yaml v2.8.1', () => {
  const objs = synth();
  const ds = find(objs, 'DaemonSet', 'weave-net');
  const pod = ds.spec.template.spec;

  test('object kinds and names, as individual objects', () => {
    // Intended difference: upstream wraps these six in one `kind: List`.
    expect(objs.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort()).toEqual([
      'ClusterRole//weave-net',
      'ClusterRoleBinding//weave-net',
      'DaemonSet/kube-system/weave-net',
      'Role/kube-system/weave-net',
      'RoleBinding/kube-system/weave-net',
      'ServiceAccount/kube-system/weave-net',
    ]);
    for (const o of objs) expect(o.metadata.labels).toEqual({ name: 'weave-net' });
  });

  test('RBAC rules are exactly upstream', () => {
    expect(find(objs, 'ClusterRole', 'weave-net').rules).toEqual([
      { apiGroups: [''], resources: ['pods', 'namespaces', 'nodes'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['extensions'], resources: ['networkpolicies'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch', 'update'] },
    ]);
    expect(find(objs, 'Role', 'weave-net').rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['weave-net'], verbs: ['get', 'update'] },
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
    ]);
    const subject = [{ kind: 'ServiceAccount', name: 'weave-net', namespace: 'kube-system' }];
    expect(find(objs, 'ClusterRoleBinding', 'weave-net').roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'weave-net' });
    expect(find(objs, 'ClusterRoleBinding', 'weave-net').subjects).toEqual(subject);
    expect(find(objs, 'RoleBinding', 'weave-net').roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'weave-net' });
    expect(find(objs, 'RoleBinding', 'weave-net').subjects).toEqual(subject);
  });

  test('DaemonSet shape: selector, minReadySeconds, updateStrategy, host access, tolerations', () => {
    expect(ds.spec.selector).toEqual({ matchLabels: { name: 'weave-net' } });
    expect(ds.spec.minReadySeconds).toBe(5);
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect(pod.hostNetwork).toBe(true);
    // upstream writes `hostPID: false` (the default); the library leaves it unset
    expect(pod.hostPID).toBeUndefined();
    expect(pod.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(pod.restartPolicy).toBe('Always');
    expect(pod.priorityClassName).toBe('system-node-critical');
    expect(pod.serviceAccountName).toBe('weave-net');
    expect(pod.tolerations).toEqual([{ effect: 'NoSchedule', operator: 'Exists' }, { effect: 'NoExecute', operator: 'Exists' }]);
    // Intended difference: upstream's empty `securityContext.seLinuxOptions: {}` is not written.
    expect(pod.securityContext).toBeUndefined();
  });

  test('hostPath volumes and mounts', () => {
    const hp = Object.fromEntries(pod.volumes.map((v: any) => [v.name, v.hostPath]));
    expect(hp).toEqual({
      'weavedb': { path: '/var/lib/weave' },
      'cni-bin': { path: '/opt' },
      'cni-bin2': { path: '/home' },
      'cni-conf': { path: '/etc' },
      'cni-machine-id': { path: '/etc/machine-id' },
      'dbus': { path: '/var/lib/dbus' },
      'lib-modules': { path: '/lib/modules' },
      'xtables-lock': { path: '/run/xtables.lock', type: 'FileOrCreate' },
    });
    const mounts = (c: any) => c.volumeMounts.map((m: any) => `${m.name}:${m.mountPath}${m.readOnly ? ':ro' : ''}`);
    expect(mounts(pod.initContainers[0])).toEqual(['cni-bin:/host/opt', 'cni-bin2:/host/home', 'cni-conf:/host/etc', 'lib-modules:/lib/modules', 'xtables-lock:/run/xtables.lock']);
    expect(mounts(pod.containers[0])).toEqual(['weavedb:/weavedb', 'dbus:/host/var/lib/dbus:ro', 'cni-machine-id:/host/etc/machine-id:ro', 'xtables-lock:/run/xtables.lock']);
    expect(mounts(pod.containers[1])).toEqual(['xtables-lock:/run/xtables.lock']);
  });

  test('containers: privileged weave-init, weave, weave-npc with upstream env and probe', () => {
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['weave-init']);
    expect(pod.containers.map((c: any) => c.name)).toEqual(['weave', 'weave-npc']);
    for (const c of [...pod.initContainers, ...pod.containers]) expect(c.securityContext).toEqual({ privileged: true });
    expect(pod.initContainers[0].command).toEqual(['/home/weave/init.sh']);
    const weave = pod.containers[0];
    expect(weave.command).toEqual(['/home/weave/launch.sh']);
    expect(weave.env).toEqual([
      { name: 'INIT_CONTAINER', value: 'true' },
      { name: 'HOSTNAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
    ]);
    expect(weave.readinessProbe.httpGet).toEqual({ host: '127.0.0.1', path: '/status', port: 6784 });
    expect(weave.resources.requests).toEqual({ cpu: '50m' });
    expect(pod.containers[1].env).toEqual([{ name: 'HOSTNAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }]);
    expect(pod.containers[1].resources.requests).toEqual({ cpu: '50m' });
  });

  test('images are pinned at 2.8.1', () => {
    expect(pod.initContainers[0].image).toBe('weaveworks/weave-kube:2.8.1');
    expect(pod.containers[0].image).toBe('weaveworks/weave-kube:2.8.1');
    expect(pod.containers[1].image).toBe('weaveworks/weave-npc:2.8.1');
  });

  test('valid against the Kubernetes 1.27 schemas', () => expectValidObjects(objs));
});

describe('Weave Net typed options', () => {
  test('allocation range, password from a Secret, mtu, connLimit and friends become env', () => {
    const objs = synth({
      ipallocRange: '10.40.0.0/16', password: { secretName: 'weave-passwd', key: 'weave-passwd' }, mtu: 1400, connLimit: 100,
      noMasqLocal: true, expectNpc: false, iptablesBackend: WeaveIptablesBackend.NFT, extraArgs: ['--log-level=debug', '--trusted-subnets=10.0.0.0/8'],
    });
    const env = find(objs, 'DaemonSet', 'weave-net').spec.template.spec.containers[0].env;
    expect(env).toEqual([
      { name: 'INIT_CONTAINER', value: 'true' },
      { name: 'HOSTNAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'IPALLOC_RANGE', value: '10.40.0.0/16' },
      { name: 'WEAVE_PASSWORD', valueFrom: { secretKeyRef: { name: 'weave-passwd', key: 'weave-passwd' } } },
      { name: 'WEAVE_MTU', value: '1400' },
      { name: 'CONN_LIMIT', value: '100' },
      { name: 'NO_MASQ_LOCAL', value: '1' },
      { name: 'EXPECT_NPC', value: '0' },
      { name: 'IPTABLES_BACKEND', value: 'nft' },
      { name: 'EXTRA_ARGS', value: '--log-level=debug --trusted-subnets=10.0.0.0/8' },
    ]);
    expectValidObjects(objs);
  });

  test('fails on bad values', () => {
    expect(() => synth({ ipallocRange: '10.32.0.0' })).toThrow(/'ipallocRange' is not an IPv4 prefix: got "10.32.0.0"; write a CIDR/);
    expect(() => synth({ ipallocRange: '10.32.0.1/12' })).toThrow(/'ipallocRange' has host bits set/);
    expect(() => synth({ mtu: 20000 })).toThrow(/'mtu' is not a usable MTU: got 20000/);
    expect(() => synth({ connLimit: 0 })).toThrow(/'connLimit' is not a positive integer: got 0/);
    expect(() => synth({ password: { secretName: 'Weave_Pass', key: 'k' } })).toThrow(/'password.secretName' is not a Secret name: got "Weave_Pass"/);
  });

  test('the example chart synthesizes valid objects', () => {
    const objs = new WeaveNetChart(new App(), 'weave-net').toJson();
    expect(find(objs, 'DaemonSet', 'weave-net')).toBeDefined();
    expectValidObjects(objs);
  });
});
