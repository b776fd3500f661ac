import { App, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Cilium, CiliumChainingMode, CiliumEncryptionType, CiliumIpamMode, CiliumRoutingMode, CiliumTls, CiliumTunnelProtocol,
} from '../../lib/installers/cilium';
import { CiliumChart } from '../../examples/cluster/cilium';
import { Multus as RealMultus } from '../../lib/installers/multus';
import { expectValidObjects } from '../util/schema';

function synth(props = {}): any[] {
  const chart = Testing.chart();
  new Cilium(chart, 'Cilium', props);
  return Testing.synth(chart);
}
const find = (objs: any[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);
const ruleLines = (rules: any[]) => rules.map((r) => [r.apiGroups.join(','), r.resources.join(','), r.verbs.join(','), ...(r.resourceNames ? [r.resourceNames.join(',')] : [])].join('|'));
const hostPaths = (pod: any) => Object.fromEntries(pod.volumes.filter((v: any) => v.hostPath).map((v: any) => [v.name, v.hostPath]));

/** Stands for the Multus construct: the guards recognise Multus by class name. */
class Multus extends Construct {}

describe('Cilium defaults compared with the chart 1.19.5 default render', () => {
  const objs = synth();
  const ds = find(objs, 'DaemonSet', 'cilium');
  const pod = ds.spec.template.spec;

  test('object kinds and names (23 of the 25: no generated Secrets)', () => {
    // Intended difference: Secrets cilium-ca and hubble-server-certs carry keys the chart generates
    // on every render; they are not embedded (see CiliumTls). Everything else is there.
    expect(objs.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort()).toEqual([
      'ClusterRole//cilium', 'ClusterRole//cilium-operator', 'ClusterRoleBinding//cilium', 'ClusterRoleBinding//cilium-operator',
      'ConfigMap/kube-system/cilium-config', 'ConfigMap/kube-system/cilium-envoy-config',
      'DaemonSet/kube-system/cilium', 'DaemonSet/kube-system/cilium-envoy', 'Deployment/kube-system/cilium-operator',
      'Namespace//cilium-secrets',
      'Role/cilium-secrets/cilium-operator-tlsinterception-secrets', 'Role/cilium-secrets/cilium-tlsinterception-secrets',
      'Role/kube-system/cilium-config-agent', 'Role/kube-system/cilium-operator-ztunnel',
      'RoleBinding/cilium-secrets/cilium-operator-tlsinterception-secrets', 'RoleBinding/cilium-secrets/cilium-tlsinterception-secrets',
      'RoleBinding/kube-system/cilium-config-agent', 'RoleBinding/kube-system/cilium-operator-ztunnel',
      'Service/kube-system/cilium-envoy', 'Service/kube-system/hubble-peer',
      'ServiceAccount/kube-system/cilium', 'ServiceAccount/kube-system/cilium-envoy', 'ServiceAccount/kube-system/cilium-operator',
    ]);
    expect(objs.filter((o) => o.kind === 'CustomResourceDefinition')).toEqual([]);
  });

  test('ClusterRoles: exactly the chart rules', () => {
    expect(ruleLines(find(objs, 'ClusterRole', 'cilium').rules)).toEqual([
      'networking.k8s.io|networkpolicies|get,list,watch',
      'discovery.k8s.io|endpointslices|get,list,watch',
      '|namespaces,services,pods,endpoints,nodes|get,list,watch',
      'apiextensions.k8s.io|customresourcedefinitions|list,watch,get',
      'cilium.io|ciliumloadbalancerippools,ciliumbgppeeringpolicies,ciliumbgpnodeconfigs,ciliumbgpadvertisements,ciliumbgppeerconfigs,ciliumclusterwideenvoyconfigs,ciliumclusterwidenetworkpolicies,ciliumegressgatewaypolicies,ciliumendpoints,ciliumendpointslices,ciliumenvoyconfigs,ciliumidentities,ciliumlocalredirectpolicies,ciliumnetworkpolicies,ciliumnodes,ciliumnodeconfigs,ciliumcidrgroups,ciliuml2announcementpolicies,ciliumpodippools|list,watch',
      'cilium.io|ciliumidentities,ciliumendpoints,ciliumnodes|create',
      'cilium.io|ciliumidentities|update',
      'cilium.io|ciliumendpoints|delete,get',
      'cilium.io|ciliumnodes,ciliumnodes/status|get,update',
      'cilium.io|ciliumendpoints/status,ciliumendpoints,ciliuml2announcementpolicies/status,ciliumbgpnodeconfigs/status|patch',
    ]);
    expect(ruleLines(find(objs, 'ClusterRole', 'cilium-operator').rules)).toEqual([
      '|pods|get,list,watch,delete',
      '|configmaps|patch|cilium-config',
      '|nodes|list,watch',
      '|nodes,nodes/status|patch',
      'discovery.k8s.io|endpointslices|get,list,watch',
      '|services/status|update,patch',
      '|namespaces,secrets|get,list,watch',
      '|services,endpoints|get,list,watch',
      'cilium.io|ciliumnetworkpolicies,ciliumclusterwidenetworkpolicies|create,update,deletecollection,patch,get,list,watch',
      'cilium.io|ciliumnetworkpolicies/status,ciliumclusterwidenetworkpolicies/status|patch,update',
      'cilium.io|ciliumendpoints,ciliumidentities|delete,list,watch',
      'cilium.io|ciliumidentities|update',
      'cilium.io|ciliumnodes|create,update,get,list,watch,delete',
      'cilium.io|ciliumnodes/status|update',
      'cilium.io|ciliumendpointslices,ciliumenvoyconfigs,ciliumbgppeerconfigs,ciliumbgpadvertisements,ciliumbgpnodeconfigs|create,update,get,list,watch,delete,patch',
      'cilium.io|ciliumbgpclusterconfigs/status,ciliumbgppeerconfigs/status|update',
      'apiextensions.k8s.io|customresourcedefinitions|create,get,list,watch',
      'apiextensions.k8s.io|customresourcedefinitions|update|ciliumloadbalancerippools.cilium.io,ciliumbgpclusterconfigs.cilium.io,ciliumbgppeerconfigs.cilium.io,ciliumbgpadvertisements.cilium.io,ciliumbgpnodeconfigs.cilium.io,ciliumbgpnodeconfigoverrides.cilium.io,ciliumclusterwideenvoyconfigs.cilium.io,ciliumclusterwidenetworkpolicies.cilium.io,ciliumegressgatewaypolicies.cilium.io,ciliumendpoints.cilium.io,ciliumendpointslices.cilium.io,ciliumenvoyconfigs.cilium.io,ciliumidentities.cilium.io,ciliumlocalredirectpolicies.cilium.io,ciliumnetworkpolicies.cilium.io,ciliumnodes.cilium.io,ciliumnodeconfigs.cilium.io,ciliumcidrgroups.cilium.io,ciliuml2announcementpolicies.cilium.io,ciliumpodippools.cilium.io,ciliumgatewayclassconfigs.cilium.io',
      'cilium.io|ciliumloadbalancerippools,ciliumpodippools,ciliumbgppeeringpolicies,ciliumbgpclusterconfigs,ciliumbgpnodeconfigoverrides,ciliumbgppeerconfigs|get,list,watch',
      'cilium.io|ciliumpodippools|create',
      'cilium.io|ciliumloadbalancerippools/status|patch',
      'coordination.k8s.io|leases|create,get,update',
      'cilium.io|ciliumendpointslices|deletecollection',
    ]);
    for (const n of ['cilium', 'cilium-operator']) {
      expect(find(objs, 'ClusterRoleBinding', n).subjects).toEqual([{ kind: 'ServiceAccount', name: n, namespace: 'kube-system' }]);
    }
  });

  test('Roles and RoleBindings', () => {
    expect(find(objs, 'Role', 'cilium-config-agent').rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }]);
    expect(find(objs, 'Role', 'cilium-tlsinterception-secrets').rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }]);
    expect(find(objs, 'Role', 'cilium-operator-tlsinterception-secrets').rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['create', 'delete', 'update', 'patch'] }]);
    expect(find(objs, 'Role', 'cilium-operator-ztunnel').rules).toEqual([{ apiGroups: ['apps'], resources: ['daemonsets'], verbs: ['create', 'delete', 'get', 'list', 'watch'] }]);
    const subj = (n: string) => find(objs, 'RoleBinding', n).subjects[0].name;
    expect([subj('cilium-config-agent'), subj('cilium-tlsinterception-secrets'), subj('cilium-operator-tlsinterception-secrets'), subj('cilium-operator-ztunnel')])
      .toEqual(['cilium', 'cilium', 'cilium-operator', 'cilium-operator']);
    expect(find(objs, 'Namespace', 'cilium-secrets').metadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'cilium' });
  });

  test('cilium-config: the typed keys at their chart defaults', () => {
    const d = find(objs, 'ConfigMap', 'cilium-config').data;
    expect(Object.keys(d)).toHaveLength(154);
    expect(d).toMatchObject({
      'routing-mode': 'tunnel', 'tunnel-protocol': 'vxlan', 'ipam': 'cluster-pool', 'cluster-pool-ipv4-cidr': '10.0.0.0/8',
      'cluster-pool-ipv4-mask-size': '24', 'enable-ipv4': 'true', 'enable-ipv6': 'false', 'kube-proxy-replacement': 'false',
      'enable-ipv4-masquerade': 'true', 'write-cni-conf-when-ready': '/host/etc/cni/net.d/05-cilium.conflist', 'cni-exclusive': 'true',
      'cni-log-file': '/var/run/cilium/cilium-cni.log', 'enable-hubble': 'true', 'hubble-listen-address': ':4244', 'cluster-name': 'default',
      'cluster-id': '0', 'identity-allocation-mode': 'crd', 'enable-policy': 'default', 'datapath-mode': 'veth', 'bpf-root': '/sys/fs/bpf',
      'cgroup-root': '/run/cilium/cgroupv2', 'agent-not-ready-taint-key': 'node.cilium.io/agent-not-ready', 'debug': 'false',
      'policy-secrets-namespace': 'cilium-secrets', 'auto-direct-node-routes': 'false',
    });
    expect(d.mtu).toBeUndefined();
    const envoy = JSON.parse(find(objs, 'ConfigMap', 'cilium-envoy-config').data['bootstrap-config.json']);
    expect(envoy.admin.address.pipe.path).toBe('/var/run/cilium/envoy/sockets/admin.sock');
    expect(envoy.staticResources.clusters.map((c: any) => c.name)).toEqual(['ingress-cluster', 'egress-cluster-tls', 'egress-cluster', 'ingress-cluster-tls', 'xds-grpc-cilium', '/envoy-admin']);
    expect(envoy.staticResources.listeners.map((l: any) => [l.name, l.address.socketAddress.portValue])).toEqual([['envoy-prometheus-metrics-listener', 9964], ['envoy-health-listener', 9878]]);
  });

  test('agent DaemonSet: host access, strategy, tolerations, AppArmor/seccomp', () => {
    expect(ds.spec.selector).toEqual({ matchLabels: { 'k8s-app': 'cilium' } });
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } });
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBeUndefined();
    expect(pod.priorityClassName).toBe('system-node-critical');
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.terminationGracePeriodSeconds).toBe(1);
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.serviceAccountName).toBe('cilium');
    expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([{ labelSelector: { matchLabels: { 'k8s-app': 'cilium' } }, topologyKey: 'kubernetes.io/hostname' }]);
    // Intended difference: appArmorProfile is a 1.30 field; for 1.27 the chart (and the library) use annotations.
    expect(pod.securityContext).toEqual({ seccompProfile: { type: 'Unconfined' } });
    expect(ds.spec.template.metadata.annotations).toEqual({
      'kubectl.kubernetes.io/default-container': 'cilium-agent',
      'container.apparmor.security.beta.kubernetes.io/cilium-agent': 'unconfined',
      'container.apparmor.security.beta.kubernetes.io/clean-cilium-state': 'unconfined',
      'container.apparmor.security.beta.kubernetes.io/mount-cgroup': 'unconfined',
      'container.apparmor.security.beta.kubernetes.io/apply-sysctl-overwrites': 'unconfined',
    });
  });

  test('agent: not privileged, exactly the chart capability lists', () => {
    const spc = { level: 's0', type: 'spc_t' };
    const sc = Object.fromEntries([...pod.initContainers, ...pod.containers].map((c: any) => [c.name, c.securityContext]));
    expect(sc['cilium-agent']).toEqual({ seLinuxOptions: spc, capabilities: { add: ['CHOWN', 'KILL', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'SYS_MODULE', 'SYS_ADMIN', 'SYS_RESOURCE', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID', 'SYSLOG'], drop: ['ALL'] } });
    expect(sc.config).toEqual({ capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } });
    expect(sc['mount-cgroup']).toEqual({ seLinuxOptions: spc, capabilities: { add: ['SYS_ADMIN', 'SYS_CHROOT', 'SYS_PTRACE'], drop: ['ALL'] } });
    expect(sc['apply-sysctl-overwrites']).toEqual(sc['mount-cgroup']);
    expect(sc['mount-bpf-fs']).toEqual({ privileged: true });
    expect(sc['clean-cilium-state']).toEqual({ seLinuxOptions: spc, capabilities: { add: ['NET_ADMIN', 'SYS_MODULE', 'SYS_ADMIN', 'SYS_RESOURCE'], drop: ['ALL'] } });
    expect(sc['install-cni-binaries']).toEqual({ seLinuxOptions: spc, capabilities: { drop: ['ALL'] } });
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['config', 'mount-cgroup', 'apply-sysctl-overwrites', 'mount-bpf-fs', 'clean-cilium-state', 'install-cni-binaries']);
  });

  test('agent: hostPath volumes, projected secrets and mounts', () => {
    expect(hostPaths(pod)).toEqual({
      'cilium-run': { path: '/var/run/cilium', type: 'DirectoryOrCreate' },
      'cilium-netns': { path: '/var/run/netns', type: 'DirectoryOrCreate' },
      'bpf-maps': { path: '/sys/fs/bpf', type: 'DirectoryOrCreate' },
      'hostproc': { path: '/proc', type: 'Directory' },
      'cilium-cgroup': { path: '/run/cilium/cgroupv2', type: 'DirectoryOrCreate' },
      'cni-path': { path: '/opt/cni/bin', type: 'DirectoryOrCreate' },
      'etc-cni-netd': { path: '/etc/cni/net.d', type: 'DirectoryOrCreate' },
      'lib-modules': { path: '/lib/modules' },
      'xtables-lock': { path: '/run/xtables.lock', type: 'FileOrCreate' },
      'envoy-sockets': { path: '/var/run/cilium/envoy/sockets', type: 'DirectoryOrCreate' },
      'host-proc-sys-net': { path: '/proc/sys/net', type: 'Directory' },
      'host-proc-sys-kernel': { path: '/proc/sys/kernel', type: 'Directory' },
    });
    const byName = Object.fromEntries(pod.volumes.map((v: any) => [v.name, v]));
    expect(byName.tmp).toEqual({ name: 'tmp', emptyDir: {} });
    expect(byName['hubble-tls'].projected.sources[0].secret).toMatchObject({ name: 'hubble-server-certs', optional: true });
    expect(byName['clustermesh-secrets'].projected.sources.map((s: any) => s.secret.name)).toEqual(['cilium-clustermesh', 'clustermesh-apiserver-remote-cert', 'clustermesh-apiserver-local-cert']);
    const agent = pod.containers[0];
    expect(agent.volumeMounts.map((m: any) => `${m.name}:${m.mountPath}${m.mountPropagation ? ':' + m.mountPropagation : ''}`)).toEqual([
      'envoy-sockets:/var/run/cilium/envoy/sockets', 'host-proc-sys-net:/host/proc/sys/net', 'host-proc-sys-kernel:/host/proc/sys/kernel',
      'bpf-maps:/sys/fs/bpf:HostToContainer', 'cilium-run:/var/run/cilium', 'cilium-netns:/var/run/cilium/netns:HostToContainer',
      'etc-cni-netd:/host/etc/cni/net.d', 'clustermesh-secrets:/var/lib/cilium/clustermesh', 'lib-modules:/lib/modules',
      'xtables-lock:/run/xtables.lock', 'hubble-tls:/var/lib/cilium/tls/hubble', 'tmp:/tmp',
    ]);
    expect(pod.initContainers[3].volumeMounts).toEqual([{ name: 'bpf-maps', mountPath: '/sys/fs/bpf', mountPropagation: 'Bidirectional' }]);
  });

  test('agent: env, ports, probes', () => {
    const agent = pod.containers[0];
    expect(agent.env.map((e: any) => e.name)).toEqual(['K8S_NODE_NAME', 'CILIUM_K8S_NAMESPACE', 'CILIUM_CLUSTERMESH_CONFIG', 'GOMEMLIMIT', 'KUBE_CLIENT_BACKOFF_BASE', 'KUBE_CLIENT_BACKOFF_DURATION']);
    // Intended difference: the chart writes `apiVersion: v1` in each fieldRef (the default); it is omitted.
    expect(agent.env[0].valueFrom).toEqual({ fieldRef: { fieldPath: 'spec.nodeName' } });
    expect(agent.env[3].valueFrom).toEqual({ resourceFieldRef: { resource: 'limits.memory', divisor: '1' } });
    expect(agent.ports).toEqual([
      { name: 'health', containerPort: 9879, hostPort: 9879, protocol: 'TCP' },
      { name: 'peer-service', containerPort: 4244, hostPort: 4244, protocol: 'TCP' },
    ]);
    expect(agent.livenessProbe.httpGet).toMatchObject({ host: '127.0.0.1', path: '/healthz', port: 'health' });
    expect(agent.lifecycle.preStop.exec.command).toEqual(['/cni-uninstall.sh']);
    expect(pod.initContainers[4].env.map((e: any) => e.valueFrom.configMapKeyRef.key)).toEqual(['clean-cilium-state', 'clean-cilium-bpf-state', 'write-cni-conf-when-ready']);
  });

  test('cilium-envoy DaemonSet', () => {
    const envoy = find(objs, 'DaemonSet', 'cilium-envoy');
    const p = envoy.spec.template.spec;
    expect(envoy.spec.selector).toEqual({ matchLabels: { 'k8s-app': 'cilium-envoy' } });
    expect(p.hostNetwork).toBe(true);
    expect(p.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(p.containers[0].securityContext).toEqual({ seLinuxOptions: { level: 's0', type: 'spc_t' }, capabilities: { add: ['NET_ADMIN', 'SYS_ADMIN'], drop: ['ALL'] } });
    expect(hostPaths(p)).toEqual({
      'envoy-sockets': { path: '/var/run/cilium/envoy/sockets', type: 'DirectoryOrCreate' },
      'envoy-artifacts': { path: '/var/run/cilium/envoy/artifacts', type: 'DirectoryOrCreate' },
      'bpf-maps': { path: '/sys/fs/bpf', type: 'DirectoryOrCreate' },
    });
    expect(p.volumes.find((v: any) => v.name === 'envoy-config').configMap).toEqual({ name: 'cilium-envoy-config', defaultMode: 0o400, items: [{ key: 'bootstrap-config.json', path: 'bootstrap-config.json' }] });
    expect(p.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector).toEqual({ matchLabels: { 'k8s-app': 'cilium' } });
  });

  test('operator Deployment and Services', () => {
    const d = find(objs, 'Deployment', 'cilium-operator');
    expect(d.spec.replicas).toBe(2);
    const p = d.spec.template.spec;
    expect(p.hostNetwork).toBe(true);
    expect(p.priorityClassName).toBe('system-cluster-critical');
    expect(p.tolerations.map((t: any) => t.key)).toEqual(['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master', 'node.kubernetes.io/not-ready', 'node.cloudprovider.kubernetes.io/uninitialized', 'node.cilium.io/agent-not-ready']);
    expect(p.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(find(objs, 'Service', 'hubble-peer').spec).toEqual({ selector: { 'k8s-app': 'cilium' }, ports: [{ name: 'peer-service', port: 443, protocol: 'TCP', targetPort: 4244 }], internalTrafficPolicy: 'Local' });
    expect(find(objs, 'Service', 'cilium-envoy').spec.clusterIP).toBe('None');
  });

  test('images pinned with the chart tags and digests', () => {
    const images = new Set(objs.filter((o) => o.spec?.template).flatMap((o) => [...(o.spec.template.spec.initContainers ?? []), ...o.spec.template.spec.containers].map((c: any) => c.image)));
    expect([...images].sort()).toEqual([
      'quay.io/cilium/cilium-envoy:v1.36.8-1781157951-a7f42a3390781539911b5b9107881b35ecc4e752@sha256:326f872e19ce8aa45170efbf583b3f301586ba3feead14b864676d4baf3b45ed',
      'quay.io/cilium/cilium:v1.19.5@sha256:20fbbc14ac20b55a292c0dcda5571bf31cde30a7dbc68c29db3e709390ab0732',
      'quay.io/cilium/operator-generic:v1.19.5@sha256:be848a365776e07d0c5a895eda7aec928ddc52a5a1fa2f432fd7a286609e1db4',
    ]);
  });

  test('valid against the Kubernetes 1.27 schemas', () => expectValidObjects(objs));
});

describe('Cilium typed values', () => {
  test('native routing, kubernetes IPAM, kube-proxy replacement, wireguard, MTU, chaining', () => {
    const objs = synth({
      routingMode: CiliumRoutingMode.NATIVE, ipv4NativeRoutingCidr: '10.244.0.0/16', autoDirectNodeRoutes: true,
      ipamMode: CiliumIpamMode.KUBERNETES, kubeProxyReplacement: true, k8sServiceHost: '192.0.2.10', k8sServicePort: 6443,
      encryption: { type: CiliumEncryptionType.WIREGUARD, nodeEncryption: true }, mtu: 1450, clusterName: 'edge', clusterId: 7,
      cni: { exclusive: false, chainingMode: CiliumChainingMode.PORTMAP },
    });
    const d = find(objs, 'ConfigMap', 'cilium-config').data;
    expect(d).toMatchObject({
      'routing-mode': 'native', 'ipv4-native-routing-cidr': '10.244.0.0/16', 'auto-direct-node-routes': 'true', 'ipam': 'kubernetes',
      'kube-proxy-replacement': 'true', 'enable-wireguard': 'true', 'encrypt-node': 'true', 'mtu': '1450', 'cluster-name': 'edge',
      'cluster-id': '7', 'cni-exclusive': 'false', 'cni-chaining-mode': 'portmap',
    });
    expect(d['tunnel-protocol']).toBeUndefined();
    expect(d['cluster-pool-ipv4-cidr']).toBeUndefined();
    const agentEnv = find(objs, 'DaemonSet', 'cilium').spec.template.spec.containers[0].env;
    expect(agentEnv).toEqual(expect.arrayContaining([{ name: 'KUBERNETES_SERVICE_HOST', value: '192.0.2.10' }, { name: 'KUBERNETES_SERVICE_PORT', value: '6443' }]));
    expectValidObjects(objs);
  });

  test('geneve tunnel and cluster pools', () => {
    const d = find(synth({ tunnelProtocol: CiliumTunnelProtocol.GENEVE, clusterPoolIPv4PodCIDRList: ['10.1.0.0/16', '10.2.0.0/16'], clusterPoolIPv4MaskSize: 26 }), 'ConfigMap', 'cilium-config').data;
    expect(d).toMatchObject({ 'tunnel-protocol': 'geneve', 'cluster-pool-ipv4-cidr': '10.1.0.0/16 10.2.0.0/16', 'cluster-pool-ipv4-mask-size': '26' });
  });

  test('TLS from PEM renders the two Secrets without generated keys', () => {
    const objs = synth({ tls: CiliumTls.fromPem({ caCrt: 'CA', caKey: 'CAKEY', serverCrt: 'CRT', serverKey: 'KEY' }) });
    expect(find(objs, 'Secret', 'cilium-ca').stringData).toEqual({ 'ca.crt': 'CA', 'ca.key': 'CAKEY' });
    const hubble = find(objs, 'Secret', 'hubble-server-certs');
    expect(hubble.type).toBe('kubernetes.io/tls');
    expect(Object.keys(hubble.stringData).sort()).toEqual(['ca.crt', 'tls.crt', 'tls.key']);
  });

  test('fails on inconsistent values', () => {
    expect(() => synth({ routingMode: CiliumRoutingMode.NATIVE })).toThrow(/'ipv4NativeRoutingCidr' is required with native routing/);
    expect(() => synth({ ipv4NativeRoutingCidr: '10.0.0.0/8' })).toThrow(/'ipv4NativeRoutingCidr' is only read with native routing/);
    expect(() => synth({ kubeProxyReplacement: true })).toThrow(/'k8sServiceHost' is required with kubeProxyReplacement/);
    expect(() => synth({ clusterPoolIPv4PodCIDRList: ['10.0.0.1/8'] })).toThrow(/'clusterPoolIPv4PodCIDRList\[0\]' has host bits set/);
    expect(() => synth({ clusterPoolIPv4PodCIDRList: ['10.0.0.0/25'] })).toThrow(/'clusterPoolIPv4PodCIDRList\[0\]' is not larger than the per-node mask \/24/);
    expect(() => synth({ clusterId: 300 })).toThrow(/'clusterId' is out of range: got 300/);
  });
});

describe('Cilium co-existence with Multus', () => {
  test('cni.exclusive defaults to false when Multus is present', () => {
    const chart = Testing.chart();
    new Multus(chart, 'Multus');
    const c = new Cilium(chart, 'Cilium');
    expect(c.cniExclusive).toBe(false);
    expect(find(Testing.synth(chart), 'ConfigMap', 'cilium-config').data['cni-exclusive']).toBe('false');
  });

  test('fails when cni.exclusive is forced true with Multus', () => {
    const chart = Testing.chart();
    new Multus(chart, 'Multus');
    new Cilium(chart, 'Cilium', { cni: { exclusive: true } });
    expect(() => Testing.synth(chart)).toThrow(/'cni.exclusive' is true, so the agent renames .*00-multus.conf to 00-multus.conf.cilium_bak: got true; set cni.exclusive to false/);
  });

  test('the example chart synthesizes valid objects', () => {
    const objs = new CiliumChart(new App(), 'cilium').toJson();
    expect(objs).toHaveLength(23);
    expectValidObjects(objs);
  });
});

describe('Cilium with the real Multus construct', () => {
  test('exclusive turns off and Multus waits for 05-cilium.conflist', () => {
    const chart = Testing.chart();
    const multus = new RealMultus(chart, 'Multus');
    const cilium = new Cilium(chart, 'Cilium');
    Testing.synth(chart);
    expect(cilium.cniExclusive).toBe(false);
    expect(multus.readinessIndicatorFile).toMatch(/05-cilium.conflist$/);
  });
  test('fails when forced exclusive next to the real Multus', () => {
    const chart = Testing.chart();
    new RealMultus(chart, 'Multus');
    new Cilium(chart, 'Cilium', { cni: { exclusive: true } });
    expect(() => Testing.synth(chart)).toThrow(/'cni.exclusive' is true/);
  });
});
