import { App, Chart, Testing } from 'cdk8s';
import { Flannel, FlannelBackend, FlannelWireguardMode } from '../../lib/installers/flannel';
import { assignCluster } from '../../lib/installers/cluster-network';
import { FlannelChart } from '../../examples/cluster/flannel';
import { Multus, MultusMode } from '../../lib/installers/multus';
import { expectValidObjects } from '../util/schema';

function synth(props = {}): any[] {
  const chart = Testing.chart();
  new Flannel(chart, 'Flannel', props);
  return Testing.synth(chart);
}
const find = (objs: any[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);

describe('Flannel defaults compared with kube-flannel.yml v0.28.9', () => {
  const objs = synth();
  const ds = find(objs, 'DaemonSet', 'kube-flannel-ds');
  const pod = ds.spec.template.spec;

  test('object kinds and names', () => {
    expect(objs.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort()).toEqual([
      'ClusterRole//flannel',
      'ClusterRoleBinding//flannel',
      'ConfigMap/kube-flannel/kube-flannel-cfg',
      'DaemonSet/kube-flannel/kube-flannel-ds',
      'Namespace//kube-flannel',
      'ServiceAccount/kube-flannel/flannel',
    ]);
  });

  test('namespace carries the privileged pod-security label', () => {
    expect(find(objs, 'Namespace', 'kube-flannel').metadata.labels).toEqual({
      'k8s-app': 'flannel', 'pod-security.kubernetes.io/enforce': 'privileged',
    });
  });

  test('RBAC rules are exactly upstream', () => {
    expect(find(objs, 'ClusterRole', 'flannel').rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
    ]);
    const crb = find(objs, 'ClusterRoleBinding', 'flannel');
    expect(crb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'flannel' });
    expect(crb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'flannel', namespace: 'kube-flannel' }]);
  });

  test('ConfigMap keys and contents', () => {
    const cm = find(objs, 'ConfigMap', 'kube-flannel-cfg');
    expect(Object.keys(cm.data).sort()).toEqual(['cni-conf.json', 'net-conf.json']);
    expect(JSON.parse(cm.data['cni-conf.json'])).toEqual({
      name: 'cbr0', cniVersion: '0.3.1',
      plugins: [
        { type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    });
    expect(JSON.parse(cm.data['net-conf.json'])).toEqual({ Network: '10.244.0.0/16', EnableNFTables: false, Backend: { Type: 'vxlan' } });
  });

  test('host access: hostNetwork, no hostPID, priority, tolerations, node affinity', () => {
    expect(ds.spec.selector).toEqual({ matchLabels: { app: 'flannel' } });
    expect(ds.metadata.labels).toEqual({ 'tier': 'node', 'app': 'flannel', 'k8s-app': 'flannel' });
    expect(ds.spec.template.metadata.labels).toEqual({ tier: 'node', app: 'flannel' });
    // upstream sets no updateStrategy; neither do we
    expect(ds.spec.updateStrategy).toBeUndefined();
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBeUndefined();
    expect(pod.priorityClassName).toBe('system-node-critical');
    expect(pod.tolerations).toEqual([{ operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod.serviceAccountName).toBe('flannel');
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)
      .toEqual([{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }]);
  });

  test('hostPath volumes and mounts', () => {
    const hostPaths = Object.fromEntries(pod.volumes.filter((v: any) => v.hostPath).map((v: any) => [v.name, v.hostPath]));
    expect(hostPaths).toEqual({
      'run': { path: '/run/flannel' },
      'cni-plugin': { path: '/opt/cni/bin' },
      'cni': { path: '/etc/cni/net.d' },
      'xtables-lock': { path: '/run/xtables.lock', type: 'FileOrCreate' },
    });
    expect(pod.volumes.find((v: any) => v.name === 'flannel-cfg').configMap).toEqual({ name: 'kube-flannel-cfg' });
    const [plugin, conf] = pod.initContainers;
    expect(plugin.volumeMounts).toEqual([{ name: 'cni-plugin', mountPath: '/opt/cni/bin' }]);
    expect(conf.volumeMounts).toEqual([{ name: 'cni', mountPath: '/etc/cni/net.d' }, { name: 'flannel-cfg', mountPath: '/etc/kube-flannel/' }]);
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'run', mountPath: '/run/flannel' },
      { name: 'flannel-cfg', mountPath: '/etc/kube-flannel/' },
      { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
    ]);
  });

  test('init containers install the plugin and the conflist', () => {
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['install-cni-plugin', 'install-cni']);
    expect(pod.initContainers[0].command).toEqual(['cp']);
    expect(pod.initContainers[0].args).toEqual(['-f', '/flannel', '/opt/cni/bin/flannel']);
    expect(pod.initContainers[1].command).toEqual(['/opt/bin/install-conf']);
    expect(pod.initContainers[1].args).toEqual(['/etc/kube-flannel/cni-conf.json', '/etc/cni/net.d/10-flannel.conflist']);
  });

  test('flanneld: not privileged, NET_ADMIN + NET_RAW, args, env, probes', () => {
    const c = pod.containers[0];
    expect(c.name).toBe('kube-flannel');
    expect(c.securityContext).toEqual({ privileged: false, capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } });
    expect(c.command).toEqual(['/opt/bin/flanneld']);
    expect(c.args).toEqual(['--ip-masq', '--kube-subnet-mgr', '--healthz-port=8081']);
    expect(c.env.map((e: any) => e.name)).toEqual(['POD_NAME', 'POD_NAMESPACE', 'EVENT_QUEUE_DEPTH', 'CONT_WHEN_CACHE_NOT_READY']);
    expect(c.env[0].valueFrom).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
    expect(c.env[2].value).toBe('5000');
    expect(c.env[3].value).toBe('false');
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'healthz' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'healthz' });
    expect(c.resources.requests).toEqual({ cpu: '100m', memory: '50Mi' });
  });

  test('images are pinned to the v0.28.9 manifest tags', () => {
    expect(pod.initContainers[0].image).toBe('ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3');
    expect(pod.initContainers[1].image).toBe('ghcr.io/flannel-io/flannel:v0.28.9');
    expect(pod.containers[0].image).toBe('ghcr.io/flannel-io/flannel:v0.28.9');
    // Intended difference: upstream omits imagePullPolicy; the node-agent base writes IfNotPresent,
    // which is what Kubernetes defaults to for a tagged image anyway.
    for (const c of [...pod.initContainers, ...pod.containers]) expect(c.imagePullPolicy).toBe('IfNotPresent');
  });

  test('valid against the Kubernetes 1.27 schemas', () => {
    expectValidObjects(objs);
  });
});

describe('Flannel typed options', () => {
  test('backends render their own fields', () => {
    const net = (b: FlannelBackend) => JSON.parse(find(synth({ backend: b }), 'ConfigMap', 'kube-flannel-cfg').data['net-conf.json']).Backend;
    expect(net(FlannelBackend.vxlan({ vni: 4096, port: 4789, directRouting: true, mtu: 1450 })))
      .toEqual({ Type: 'vxlan', VNI: 4096, Port: 4789, DirectRouting: true, MTU: 1450 });
    expect(net(FlannelBackend.hostGw())).toEqual({ Type: 'host-gw' });
    expect(net(FlannelBackend.wireguard({ listenPort: 51000, mode: FlannelWireguardMode.AUTO, persistentKeepaliveInterval: 25 })))
      .toEqual({ Type: 'wireguard', ListenPort: 51000, Mode: 'auto', PersistentKeepaliveInterval: 25 });
    expect(net(FlannelBackend.udp({ port: 8285 }))).toEqual({ Type: 'udp', Port: 8285 });
    expect(net(FlannelBackend.ipip({ directRouting: true }))).toEqual({ Type: 'ipip', DirectRouting: true });
    expect(net(FlannelBackend.ipsec({ psk: 'a'.repeat(96), udpEncap: true }))).toEqual({ Type: 'ipsec', PSK: 'a'.repeat(96), UDPEncap: true });
  });

  test('network, dual stack and nftables', () => {
    const objs = synth({ network: '10.10.0.0/16', enableIPv6: true, ipv6Network: 'fd00:10::/56', enableNFTables: true, subnetLen: 25, ipMasq: false, iface: ['eth1'] });
    expect(JSON.parse(find(objs, 'ConfigMap', 'kube-flannel-cfg').data['net-conf.json'])).toEqual({
      Network: '10.10.0.0/16', EnableIPv6: true, IPv6Network: 'fd00:10::/56', SubnetLen: 25, EnableNFTables: true, Backend: { Type: 'vxlan' },
    });
    expect(find(objs, 'DaemonSet', 'kube-flannel-ds').spec.template.spec.containers[0].args)
      .toEqual(['--kube-subnet-mgr', '--iface=eth1', '--healthz-port=8081']);
  });

  test('fails on a network that is not an IPv4 CIDR', () => {
    expect(() => synth({ network: '10.244.0.0' })).toThrow(/'network' is not an IPv4 prefix: got "10.244.0.0"; write the cluster CIDR/);
    expect(() => synth({ network: '10.244.1.0/16' })).toThrow(/'network' has host bits set: got "10.244.1.0\/16"; use the network address 10.244.0.0\/16/);
  });

  test('fails on IPv6 without an IPv6 network', () => {
    expect(() => synth({ enableIPv6: true })).toThrow(/'ipv6Network' is not an IPv6 prefix: got nothing/);
    expect(() => synth({ ipv6Network: 'fd00::/56' })).toThrow(/'ipv6Network' is set while enableIPv6 is false/);
  });

  test('fails on out-of-range backend fields', () => {
    expect(() => synth({ backend: FlannelBackend.vxlan({ vni: 0 }) })).toThrow(/'backend.VNI' is not a VXLAN identifier: got 0/);
    expect(() => synth({ backend: FlannelBackend.vxlan({ mtu: 100 }) })).toThrow(/'backend.MTU' is not a usable MTU: got 100/);
    expect(() => synth({ backend: FlannelBackend.udp({ port: 70000 }) })).toThrow(/'backend.Port' is not a port number: got 70000/);
    expect(() => synth({ backend: FlannelBackend.ipsec({ psk: 'short' }) })).toThrow(/'backend.PSK' is shorter than the 96 characters/);
  });
});

describe('Flannel co-existence', () => {
  test('fails with two primary cluster networks in one cluster', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new Flannel(chart, 'A');
    new Flannel(chart, 'B', { namespace: 'other' });
    expect(() => app.synthYaml()).toThrow(/'clusterNetwork' is one of 2 primary cluster networks in cluster "default"/);
  });

  test('charts assigned to different clusters do not conflict', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    assignCluster(a, 'one');
    new Flannel(a, 'A');
    const b = new Chart(app, 'b');
    assignCluster(b, 'two');
    new Flannel(b, 'B');
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('the example chart synthesizes valid objects', () => {
    const app = new App();
    const chart = new FlannelChart(app, 'flannel');
    const objs = chart.toJson();
    expect(objs.some((o: any) => o.kind === 'DaemonSet' && o.metadata.name === 'kube-flannel-ds')).toBe(true);
    expectValidObjects(objs);
  });
});

describe('Flannel with the real Multus construct', () => {

  test('thick Multus with its default chrootDir (/hostroot) is fine, and Multus waits for subnet.env', () => {
    const chart = Testing.chart();
    const multus = new Multus(chart, 'Multus');
    new Flannel(chart, 'Flannel');
    const objs = Testing.synth(chart);
    expect(multus.readinessIndicatorFile).toMatch(/run\/flannel\/subnet.env$/);
    expect(objs.some((o: any) => o.kind === 'DaemonSet' && o.metadata.name === 'kube-flannel-ds')).toBe(true);
  });

  test('fails under thick Multus without chrootDir', () => {
    const chart = Testing.chart();
    new Multus(chart, 'Multus', { mode: MultusMode.THICK, config: { chrootDir: undefined } });
    new Flannel(chart, 'Flannel');
    expect(() => Testing.synth(chart)).toThrow(/'multus.chrootDir' is unset on the thick Multus .*, so the flannel delegate cannot read \/run\/flannel\/subnet.env/);
  });
});
