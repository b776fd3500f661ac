import { App, Chart, Testing } from 'cdk8s';
import { MultusChart } from '../../examples/cluster/multus';
import { assignCluster } from '../../lib/installers/cluster-network';
import { Flannel } from '../../lib/installers/flannel';
import { MultusLogLevel } from '../../lib/installers/multus-config';
import { Multus, MultusMode, PrimaryNetwork } from '../../lib/installers/multus';
import { expectValidObjects } from '../util/schema';

const find = (objs: any[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);
function synth(props = {}): any[] {
  const chart = Testing.chart();
  new Multus(chart, 'Multus', props);
  return Testing.synth(chart);
}
const volumeMap = (pod: any) => Object.fromEntries(pod.volumes.map((v: any) => [v.name, v.hostPath?.path ?? `configMap:${v.configMap?.name}`]));
const mountsOf = (c: any, pod: any) => c.volumeMounts.map((m: any) => [volumeMap(pod)[m.name], m.mountPath, m.mountPropagation ?? '', m.readOnly ?? false]);

// Facts of multus-daemonset-thick.yml at v4.3.0, written here (the tests never read the upstream files).
describe('Multus thick defaults compared with multus-daemonset-thick.yml v4.3.0', () => {
  const objs = synth();
  const ds = find(objs, 'DaemonSet', 'kube-multus-ds');
  const pod = ds.spec.template.spec;

  test('object kinds and names', () => {
    expect(objs.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort()).toEqual([
      'ClusterRole//multus',
      'ClusterRoleBinding//multus',
      'ConfigMap/kube-system/multus-daemon-config',
      'CustomResourceDefinition//network-attachment-definitions.k8s.cni.cncf.io',
      'DaemonSet/kube-system/kube-multus-ds',
      'ServiceAccount/kube-system/multus',
    ]);
  });

  test('the NAD CRD: group, version, scope, names, spec.config string', () => {
    const crd = find(objs, 'CustomResourceDefinition', 'network-attachment-definitions.k8s.cni.cncf.io');
    expect(crd.spec.group).toBe('k8s.cni.cncf.io');
    expect(crd.spec.scope).toBe('Namespaced');
    expect(crd.spec.names).toMatchObject({ kind: 'NetworkAttachmentDefinition', plural: 'network-attachment-definitions', singular: 'network-attachment-definition', shortNames: ['nad', 'net-attach-def'] });
    expect(crd.spec.versions.map((v: any) => [v.name, v.served, v.storage])).toEqual([['v1', true, true]]);
    expect(crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.config.type).toBe('string');
  });

  test('RBAC rules are exactly upstream (v4.3.0 thick: no resource.k8s.io rule)', () => {
    expect(find(objs, 'ClusterRole', 'multus').rules).toEqual([
      { apiGroups: ['k8s.cni.cncf.io'], resources: ['*'], verbs: ['*'] },
      { apiGroups: [''], resources: ['pods', 'pods/status'], verbs: ['get', 'list', 'update', 'watch'] },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
    ]);
    const crb = find(objs, 'ClusterRoleBinding', 'multus');
    expect(crb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'multus' });
    expect(crb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'multus', namespace: 'kube-system' }]);
  });

  test('ConfigMap key daemon-config.json equals upstream', () => {
    const cm = find(objs, 'ConfigMap', 'multus-daemon-config');
    expect(cm.metadata.labels).toEqual({ tier: 'node', app: 'multus' });
    expect(Object.keys(cm.data)).toEqual(['daemon-config.json']);
    const conf = JSON.parse(cm.data['daemon-config.json']);
    expect(conf).toEqual({
      chrootDir: '/hostroot', cniVersion: '0.3.1', logLevel: 'verbose', logToStderr: true,
      cniConfigDir: '/host/etc/cni/net.d', multusAutoconfigDir: '/host/etc/cni/net.d', multusConfigFile: 'auto', socketDir: '/host/run/multus/',
    });
    // same key order as upstream
    expect(Object.keys(conf)).toEqual(['chrootDir', 'cniVersion', 'logLevel', 'logToStderr', 'cniConfigDir', 'multusAutoconfigDir', 'multusConfigFile', 'socketDir']);
  });

  test('DaemonSet labels, selector, strategy, host access, tolerations, grace period', () => {
    expect(ds.metadata.labels).toEqual({ tier: 'node', app: 'multus', name: 'multus' });
    expect(ds.spec.selector).toEqual({ matchLabels: { name: 'multus' } });
    expect(ds.spec.template.metadata.labels).toEqual({ tier: 'node', app: 'multus', name: 'multus' });
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBe(true);
    expect(pod.tolerations).toEqual([{ operator: 'Exists', effect: 'NoSchedule' }, { operator: 'Exists', effect: 'NoExecute' }]);
    expect(pod.priorityClassName).toBeUndefined();
    // intended difference: upstream has no nodeSelector; the Multus images are Linux-only
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.serviceAccountName).toBe('multus');
    expect(pod.terminationGracePeriodSeconds).toBe(10);
  });

  test('init container install-multus-binary', () => {
    expect(pod.initContainers).toHaveLength(1);
    const c = pod.initContainers[0];
    expect(c.name).toBe('install-multus-binary');
    expect(c.command).toEqual(['/usr/src/multus-cni/bin/install_multus', '-d', '/host/opt/cni/bin', '-t', 'thick']);
    expect(c.securityContext).toEqual({ privileged: true });
    expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '15Mi' } });
    expect(c.terminationMessagePolicy).toBe('FallbackToLogsOnError');
    expect(mountsOf(c, pod)).toEqual([['/opt/cni/bin', '/host/opt/cni/bin', 'Bidirectional', false]]);
  });

  test('container kube-multus: command, privileged, resources, env, hostPath mounts', () => {
    expect(pod.containers).toHaveLength(1);
    const c = pod.containers[0];
    expect(c.name).toBe('kube-multus');
    expect(c.command).toEqual(['/usr/src/multus-cni/bin/multus-daemon']);
    expect(c.securityContext).toEqual({ privileged: true });
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: '100m', memory: '50Mi' } });
    expect(c.terminationMessagePolicy).toBe('FallbackToLogsOnError');
    expect(c.env).toEqual([{ name: 'MULTUS_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }]);
    expect(mountsOf(c, pod).sort()).toEqual([
      ['/', '/hostroot', 'HostToContainer', false],
      ['/etc/cni/multus/net.d', '/etc/cni/multus/net.d', '', false],
      ['/etc/cni/net.d', '/host/etc/cni/net.d', '', false],
      ['/opt/cni/bin', '/opt/cni/bin', '', false],
      ['/run', '/host/run', '', false],
      ['/run/k8s.cni.cncf.io', '/run/k8s.cni.cncf.io', '', false],
      ['/run/netns/', '/run/netns', 'HostToContainer', false],
      ['/var/lib/cni/multus', '/var/lib/cni/multus', '', false],
      ['/var/lib/kubelet', '/var/lib/kubelet', 'HostToContainer', false],
      ['configMap:multus-daemon-config', '/etc/cni/net.d/multus.d', '', true],
    ]);
    const cmVol = pod.volumes.find((v: any) => v.name === 'multus-daemon-config');
    expect(cmVol.configMap.items).toEqual([{ key: 'daemon-config.json', path: 'daemon-config.json' }]);
  });

  test('images pinned: v4.3.0-thick, never snapshot or latest', () => {
    // intended difference: upstream uses the floating :snapshot-thick even at v4.3.0
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.image).toBe('ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0-thick');
      expect(c.image).not.toMatch(/:(latest|snapshot)/);
    }
  });

  test('valid against the Kubernetes 1.27 schemas', () => {
    expectValidObjects(objs);
  });
});

describe('Multus thin compared with multus-daemonset.yml v4.3.0', () => {
  const objs = synth({ mode: MultusMode.THIN });
  const ds = find(objs, 'DaemonSet', 'kube-multus-ds');
  const pod = ds.spec.template.spec;

  test('kinds, RBAC (v4.3.0 thin: pods get, update only), no hostPID', () => {
    expect(objs.map((o) => o.kind).sort()).toEqual(['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'CustomResourceDefinition', 'DaemonSet', 'ServiceAccount']);
    expect(find(objs, 'ClusterRole', 'multus').rules[1]).toEqual({ apiGroups: [''], resources: ['pods', 'pods/status'], verbs: ['get', 'update'] });
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBeUndefined();
    expect(pod.tolerations).toEqual([{ operator: 'Exists', effect: 'NoSchedule' }, { operator: 'Exists', effect: 'NoExecute' }]);
  });

  test('containers, args and mounts', () => {
    const init = pod.initContainers[0];
    expect([init.name, init.command, init.args]).toEqual(['install-multus-binary', ['/install_multus'], ['--type', 'thin']]);
    expect(mountsOf(init, pod)).toEqual([['/opt/cni/bin', '/host/opt/cni/bin', 'Bidirectional', false]]);
    const c = pod.containers[0];
    expect(c.command).toEqual(['/thin_entrypoint']);
    expect(c.args).toEqual(['--multus-conf-file=auto', '--multus-autoconfig-dir=/host/etc/cni/net.d', '--cni-conf-dir=/host/etc/cni/net.d']);
    expect(c.securityContext).toEqual({ privileged: true });
    expect(mountsOf(c, pod)).toEqual([
      ['/etc/cni/net.d', '/host/etc/cni/net.d', '', false],
      ['/opt/cni/bin', '/host/opt/cni/bin', '', false],
      ['configMap:multus-cni-config', '/tmp/multus-conf', '', false],
    ]);
    expect(pod.volumes.find((v: any) => v.name === 'multus-cfg').configMap.items).toEqual([{ key: 'cni-conf.json', path: '70-multus.conf' }]);
    expect(c.image).toBe('ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0');
  });

  test('ConfigMap multus-cni-config key cni-conf.json', () => {
    const cm = find(objs, 'ConfigMap', 'multus-cni-config');
    expect(Object.keys(cm.data)).toEqual(['cni-conf.json']);
    // intended difference: upstream holds a sample flannel delegate; ours is the typed config (unused with auto)
    expect(JSON.parse(cm.data['cni-conf.json'])).toEqual({
      cniVersion: '0.3.1', name: 'multus-cni-network', type: 'multus', capabilities: { portMappings: true }, kubeconfig: '/etc/cni/net.d/multus.d/multus.kubeconfig',
    });
  });

  test('thin flags from the typed config; file mode when keys have no flag', () => {
    const a = synth({ mode: MultusMode.THIN, config: { namespaceIsolation: true, globalNamespaces: ['default', 'shared'], logLevel: MultusLogLevel.DEBUG } });
    expect(find(a, 'DaemonSet', 'kube-multus-ds').spec.template.spec.containers[0].args).toEqual([
      '--multus-conf-file=auto', '--multus-autoconfig-dir=/host/etc/cni/net.d', '--cni-conf-dir=/host/etc/cni/net.d',
      '--namespace-isolation=true', '--global-namespaces=default,shared', '--multus-log-level=debug',
    ]);
    const b = synth({ mode: MultusMode.THIN, config: { clusterNetwork: 'cbr0', defaultNetworks: ['mgmt'] } });
    expect(find(b, 'DaemonSet', 'kube-multus-ds').spec.template.spec.containers[0].args[0]).toBe('--multus-conf-file=/tmp/multus-conf/70-multus.conf');
    expect(JSON.parse(find(b, 'ConfigMap', 'multus-cni-config').data['cni-conf.json'])).toMatchObject({ clusterNetwork: 'cbr0', defaultNetworks: ['mgmt'], type: 'multus' });
    expectValidObjects(b);
  });

  test('fails on thick-only keys and on file-only keys without clusterNetwork', () => {
    expect(() => synth({ mode: MultusMode.THIN, config: { chrootDir: '/hostroot' } }))
      .toThrow(/'config\.chrootDir' is a thick daemon key; the thin plugin has no such setting: got "\/hostroot"; remove it, or use mode: MultusMode.THICK/);
    expect(() => synth({ mode: MultusMode.THIN, config: { defaultNetworks: ['x'] } }))
      .toThrow(/'config\.clusterNetwork' is required in thin mode .*: got nothing; set clusterNetwork/);
  });
});

describe('Multus typed configuration', () => {
  test('keys merge over the thick defaults; globalNamespaces is comma-separated', () => {
    const objs = synth({ config: { namespaceIsolation: true, globalNamespaces: ['default', 'infra'], logLevel: MultusLogLevel.ERROR, logFile: '/var/log/multus.log', systemNamespaces: ['kube-system'], multusNamespace: 'kube-system', capabilities: { portMappings: true, bandwidth: true } } });
    const conf = JSON.parse(find(objs, 'ConfigMap', 'multus-daemon-config').data['daemon-config.json']);
    expect(conf).toMatchObject({ chrootDir: '/hostroot', logLevel: 'error', logFile: '/var/log/multus.log', namespaceIsolation: true, globalNamespaces: 'default,infra', systemNamespaces: ['kube-system'], capabilities: { bandwidth: true, portMappings: true } });
  });

  test('fails on a relative path and a bad namespace', () => {
    expect(() => synth({ config: { cniDir: 'var/lib' } })).toThrow(/'config\.cniDir' is not an absolute path: got "var\/lib"/);
    expect(() => synth({ config: { globalNamespaces: ['Bad_NS'] } })).toThrow(/'config\.globalNamespaces' has a namespace that is not a DNS-1123 label: got "Bad_NS"/);
  });

  test('DRA rule only when asked (Multus master)', () => {
    const rules = find(synth({ draResourceClaims: true }), 'ClusterRole', 'multus').rules;
    expect(rules[2]).toEqual({ apiGroups: ['resource.k8s.io'], resources: ['resourceclaims', 'resourceclaims/status', 'resourceslices'], verbs: ['get', 'list'] });
  });
});

describe('readinessindicatorfile from the primary network', () => {
  const confOf = (objs: any[]) => JSON.parse(find(objs, 'ConfigMap', 'multus-daemon-config').data['daemon-config.json']);

  test('thick: the host file is translated to the daemon container view', () => {
    expect(confOf(synth({ primaryNetwork: PrimaryNetwork.FLANNEL })).readinessindicatorfile).toBe('/host/run/flannel/subnet.env');
    expect(confOf(synth({ primaryNetwork: PrimaryNetwork.CALICO })).readinessindicatorfile).toBe('/host/etc/cni/net.d/10-calico.conflist');
    expect(confOf(synth({ primaryNetwork: PrimaryNetwork.CILIUM })).readinessindicatorfile).toBe('/host/etc/cni/net.d/05-cilium.conflist');
    expect(confOf(synth({ primaryNetwork: PrimaryNetwork.custom('ovn', '/var/run/ovn/ready') })).readinessindicatorfile).toBe('/hostroot/var/run/ovn/ready');
  });

  test('thin: the host path as a flag', () => {
    const objs = synth({ mode: MultusMode.THIN, primaryNetwork: PrimaryNetwork.FLANNEL });
    expect(find(objs, 'DaemonSet', 'kube-multus-ds').spec.template.spec.containers[0].args).toContain('--readiness-indicator-file=/run/flannel/subnet.env');
  });

  test('follows the cluster network construct of the same cluster', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new Flannel(chart, 'Flannel');
    const m = new Multus(chart, 'Multus');
    expect(confOf(Testing.synth(chart)).readinessindicatorfile).toBe('/host/run/flannel/subnet.env');
    expect(Multus.of(chart)).toBe(m);
  });

  test('fails when primaryNetwork contradicts the cluster network', () => {
    const chart = Testing.chart();
    new Flannel(chart, 'Flannel');
    new Multus(chart, 'Multus', { primaryNetwork: PrimaryNetwork.CALICO });
    expect(() => Testing.synth(chart)).toThrow(/'primaryNetwork' names calico but the cluster network of this cluster is flannel .*: got "calico"; set primaryNetwork to the flannel one/);
  });

  test('fails when both primaryNetwork and readinessIndicatorFile are set', () => {
    expect(() => synth({ primaryNetwork: PrimaryNetwork.FLANNEL, config: { readinessIndicatorFile: '/x' } }))
      .toThrow(/'config\.readinessIndicatorFile' is set and so is primaryNetwork \(flannel\): got "\/x"/);
  });

  test('Multus.of looks only in the same cluster', () => {
    const app = new App();
    const a = new Chart(app, 'a');
    assignCluster(a, 'a');
    const b = new Chart(app, 'b');
    assignCluster(b, 'b');
    const m = new Multus(a, 'Multus');
    expect(Multus.of(a)).toBe(m);
    expect(Multus.of(b)).toBeUndefined();
  });
});

test('example chart synthesizes with id multus and is valid', () => {
  const app = Testing.app();
  const chart = new MultusChart(app, 'multus');
  const objs = Testing.synth(chart);
  expect(objs).toHaveLength(6);
  expectValidObjects(objs);
});
