import { App, Testing } from 'cdk8s';
import { Calico, CalicoBackend, CalicoEncapsulationMode, IpAutodetectionMethod } from '../../lib/installers/calico';
import { CalicoChart } from '../../examples/cluster/calico';
import { expectValidObjects } from '../util/schema';

function synth(props = {}): any[] {
  const chart = Testing.chart();
  new Calico(chart, 'Calico', props);
  return Testing.synth(chart);
}
const find = (objs: any[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);
const envOf = (c: any) => Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
const P = ['projectcalico.org', 'crd.projectcalico.org'];
/** Rules as 'apiGroups|resources|verbs[|resourceNames]' lines, comma-joined. */
const ruleLines = (rules: any[]) => rules.map((r) => [r.apiGroups.join(','), r.resources.join(','), r.verbs.join(','), ...(r.resourceNames ? [r.resourceNames.join(',')] : [])].join('|'));

describe('Calico defaults compared with calico.yaml v3.32.1', () => {
  const objs = synth();
  const ds = find(objs, 'DaemonSet', 'calico-node');
  const pod = ds.spec.template.spec;

  test('the 38 objects: kinds and names', () => {
    const count = (k: string) => objs.filter((o) => o.kind === k).length;
    expect(objs).toHaveLength(38);
    expect([count('CustomResourceDefinition'), count('ClusterRole'), count('ClusterRoleBinding'), count('ServiceAccount'),
      count('ConfigMap'), count('DaemonSet'), count('Deployment'), count('PodDisruptionBudget')]).toEqual([23, 4, 4, 3, 1, 1, 1, 1]);
    expect(objs.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name).sort()).toEqual([
      'bgpconfigurations', 'bgpfilters', 'bgppeers', 'blockaffinities', 'caliconodestatuses', 'clusterinformations', 'felixconfigurations',
      'globalnetworkpolicies', 'globalnetworksets', 'hostendpoints', 'ipamblocks', 'ipamconfigs', 'ipamhandles', 'ippools', 'ipreservations',
      'kubecontrollersconfigurations', 'networkpolicies', 'networksets', 'stagedglobalnetworkpolicies', 'stagedkubernetesnetworkpolicies',
      'stagednetworkpolicies', 'tiers',
    ].map((p) => `${p}.crd.projectcalico.org`).concat('clusternetworkpolicies.policy.networking.k8s.io').sort());
    for (const k of ['ClusterRole', 'ClusterRoleBinding']) {
      expect(objs.filter((o) => o.kind === k).map((o) => o.metadata.name).sort()).toEqual(['calico-cni-plugin', 'calico-kube-controllers', 'calico-node', 'calico-tier-getter']);
    }
    expect(objs.filter((o) => o.kind === 'ServiceAccount').map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort())
      .toEqual(['kube-system/calico-cni-plugin', 'kube-system/calico-kube-controllers', 'kube-system/calico-node']);
  });

  test('CRDs: group, kind, scope, version; schemas simplified', () => {
    const ippools = find(objs, 'CustomResourceDefinition', 'ippools.crd.projectcalico.org').spec;
    expect(ippools.group).toBe('crd.projectcalico.org');
    expect(ippools.names).toEqual({ kind: 'IPPool', listKind: 'IPPoolList', plural: 'ippools', singular: 'ippool' });
    expect(ippools.scope).toBe('Cluster');
    // Intended difference: upstream's full generated schema is replaced by an object schema that
    // preserves unknown fields (documented in lib/installers/calico.ts).
    expect(ippools.versions).toEqual([{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true } } }]);
    expect(find(objs, 'CustomResourceDefinition', 'networkpolicies.crd.projectcalico.org').spec.scope).toBe('Namespaced');
    expect(find(objs, 'CustomResourceDefinition', 'kubecontrollersconfigurations.crd.projectcalico.org').spec.versions[0].subresources).toEqual({ status: {} });
    const cnp = find(objs, 'CustomResourceDefinition', 'clusternetworkpolicies.policy.networking.k8s.io').spec;
    expect(cnp.names.shortNames).toEqual(['cnp']);
    expect(cnp.versions[0].name).toBe('v1alpha2');
  });

  test('RBAC: calico-node and calico-cni-plugin rules exactly upstream', () => {
    expect(ruleLines(find(objs, 'ClusterRole', 'calico-node').rules)).toEqual([
      '|serviceaccounts/token|create|calico-cni-plugin',
      '|pods,nodes,namespaces|get',
      'discovery.k8s.io|endpointslices|watch,list',
      '|endpoints,services|watch,list,get',
      '|configmaps|get',
      '|nodes/status|patch,update',
      'networking.k8s.io|networkpolicies|watch,list',
      'policy.networking.k8s.io|clusternetworkpolicies|watch,list',
      '|pods,namespaces,serviceaccounts|list,watch',
      '|pods/status|patch',
      'projectcalico.org,crd.projectcalico.org|globalfelixconfigs,globalbgpconfigs,felixconfigurations,bgppeers,bgpfilters,bgpconfigurations,ippools,ipreservations,ipamblocks,globalnetworkpolicies,stagedglobalnetworkpolicies,networkpolicies,stagednetworkpolicies,stagedkubernetesnetworkpolicies,globalnetworksets,networksets,clusterinformations,hostendpoints,blockaffinities,caliconodestatuses,tiers|get,list,watch',
      'projectcalico.org,crd.projectcalico.org|tiers|create',
      'projectcalico.org,crd.projectcalico.org|ippools,felixconfigurations,bgpconfigurations,clusterinformations|create,update',
      'projectcalico.org,crd.projectcalico.org|caliconodestatuses|update',
      '|nodes|get,list,watch',
      'projectcalico.org,crd.projectcalico.org|bgpconfigurations,bgppeers|create,update',
      'projectcalico.org,crd.projectcalico.org|blockaffinities,ipamblocks,ipamhandles|get,list,create,update,delete',
      'projectcalico.org,crd.projectcalico.org|ipamconfigurations,ipamconfigs|get,create',
      'projectcalico.org,crd.projectcalico.org|blockaffinities|watch',
      'apps|daemonsets|get',
      'kubevirt.io|virtualmachineinstancemigrations|get,list,watch',
    ]);
    const node = find(objs, 'ClusterRole', 'calico-node').rules;
    expect(node).toHaveLength(21);
    expect(node[0]).toEqual({ apiGroups: [''], resources: ['serviceaccounts/token'], resourceNames: ['calico-cni-plugin'], verbs: ['create'] });
    expect(node[5]).toEqual({ apiGroups: [''], resources: ['nodes/status'], verbs: ['patch', 'update'] });
    expect(node[10].resources).toHaveLength(21);
    expect(node[10].verbs).toEqual(['get', 'list', 'watch']);
    expect(node[16]).toEqual({ apiGroups: P, resources: ['blockaffinities', 'ipamblocks', 'ipamhandles'], verbs: ['get', 'list', 'create', 'update', 'delete'] });
    expect(node[20]).toEqual({ apiGroups: ['kubevirt.io'], resources: ['virtualmachineinstancemigrations'], verbs: ['get', 'list', 'watch'] });
    expect(find(objs, 'ClusterRole', 'calico-cni-plugin').rules).toEqual([
      { apiGroups: [''], resources: ['pods', 'nodes', 'namespaces'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods/status'], verbs: ['patch'] },
      { apiGroups: P, resources: ['blockaffinities', 'ipamblocks', 'ipamhandles', 'clusterinformations', 'ippools', 'ipreservations', 'ipamconfigurations', 'ipamconfigs'], verbs: ['get', 'list', 'create', 'update', 'delete'] },
      { apiGroups: ['kubevirt.io'], resources: ['virtualmachineinstances', 'virtualmachines'], verbs: ['get'] },
    ]);
  });

  test('RBAC: calico-kube-controllers and calico-tier-getter rules exactly upstream', () => {
    expect(ruleLines(find(objs, 'ClusterRole', 'calico-kube-controllers').rules)).toEqual([
      '|nodes|watch,list,get',
      '|pods|get,list,watch',
      '|namespaces|get,list,watch',
      '|services,services/status|get,list,update,watch',
      'projectcalico.org,crd.projectcalico.org|ipreservations|list',
      'projectcalico.org,crd.projectcalico.org|blockaffinities,ipamblocks,ipamhandles,ipamconfigurations,ipamconfigs,tiers|get,list,create,update,delete,watch',
      'projectcalico.org,crd.projectcalico.org|ippools|list,watch',
      'projectcalico.org,crd.projectcalico.org|hostendpoints|get,list,create,update,delete,watch',
      'projectcalico.org,crd.projectcalico.org|clusterinformations|get,list,create,update,watch',
      'projectcalico.org,crd.projectcalico.org|kubecontrollersconfigurations|get,list,create,update,watch',
      'projectcalico.org,crd.projectcalico.org|kubecontrollersconfigurations/status|get,update',
      'projectcalico.org,crd.projectcalico.org|networkpolicies,stagednetworkpolicies,globalnetworkpolicies,stagedglobalnetworkpolicies|watch,list,get,create,update,delete',
      'apps|daemonsets,deployments|get,list,watch',
      'migration.projectcalico.org|datastoremigrations,datastoremigrations/status|get,list,watch,create,update,patch',
      'apiextensions.k8s.io|customresourcedefinitions|get,list,watch,delete',
      'apiregistration.k8s.io|apiservices|get,list,watch,create,delete',
      'projectcalico.org|*|get,list,watch,create,update,patch,delete',
      'crd.projectcalico.org|*|get,list,watch',
      'kubevirt.io|virtualmachines,virtualmachineinstances|get,list,watch',
    ]);
    const kc = find(objs, 'ClusterRole', 'calico-kube-controllers').rules;
    expect(kc).toHaveLength(19);
    expect(kc[0]).toEqual({ apiGroups: [''], resources: ['nodes'], verbs: ['watch', 'list', 'get'] });
    expect(kc[14]).toEqual({ apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'watch', 'delete'] });
    expect(kc[16]).toEqual({ apiGroups: ['projectcalico.org'], resources: ['*'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] });
    expect(kc[17]).toEqual({ apiGroups: ['crd.projectcalico.org'], resources: ['*'], verbs: ['get', 'list', 'watch'] });
    expect(find(objs, 'ClusterRole', 'calico-tier-getter').rules).toEqual([{ apiGroups: ['projectcalico.org'], resources: ['tiers'], verbs: ['get'] }]);
    expect(find(objs, 'ClusterRoleBinding', 'calico-tier-getter').subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'system:kube-controller-manager' }]);
    for (const n of ['calico-node', 'calico-cni-plugin', 'calico-kube-controllers']) {
      expect(find(objs, 'ClusterRoleBinding', n).subjects).toEqual([{ kind: 'ServiceAccount', name: n, namespace: 'kube-system' }]);
      expect(find(objs, 'ClusterRoleBinding', n).roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: n });
    }
  });

  test('calico-config keys and the conflist template', () => {
    const cm = find(objs, 'ConfigMap', 'calico-config');
    expect(Object.keys(cm.data).sort()).toEqual(['calico_backend', 'cni_network_config', 'typha_service_name', 'veth_mtu']);
    expect(cm.data.typha_service_name).toBe('none');
    expect(cm.data.calico_backend).toBe('bird');
    expect(cm.data.veth_mtu).toBe('0');
    expect(cm.data.cni_network_config).toContain('"mtu": __CNI_MTU__');
    expect(JSON.parse(cm.data.cni_network_config.replace('__CNI_MTU__', '1500'))).toEqual({
      name: 'k8s-pod-network', cniVersion: '0.3.1',
      plugins: [
        {
          type: 'calico', log_level: 'info', log_file_path: '/var/log/calico/cni/cni.log', datastore_type: 'kubernetes',
          nodename: '__KUBERNETES_NODE_NAME__', mtu: 1500, ipam: { type: 'calico-ipam' }, policy: { type: 'k8s' },
          kubernetes: { kubeconfig: '__KUBECONFIG_FILEPATH__' },
        },
        { type: 'portmap', snat: true, capabilities: { portMappings: true } },
      ],
    });
  });

  test('calico-node: host access, tolerations, strategy', () => {
    expect(ds.spec.selector).toEqual({ matchLabels: { 'k8s-app': 'calico-node' } });
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBeUndefined();
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.priorityClassName).toBe('system-node-critical');
    expect(pod.terminationGracePeriodSeconds).toBe(0);
    expect(pod.serviceAccountName).toBe('calico-node');
    expect(pod.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.tolerations).toEqual([{ effect: 'NoSchedule', operator: 'Exists' }, { key: 'CriticalAddonsOnly', operator: 'Exists' }, { effect: 'NoExecute', operator: 'Exists' }]);
  });

  test('calico-node: hostPath volumes and mounts', () => {
    const hp = Object.fromEntries(pod.volumes.map((v: any) => [v.name, v.hostPath]));
    expect(hp).toEqual({
      'lib-modules': { path: '/lib/modules' },
      'var-run-calico': { path: '/var/run/calico', type: 'DirectoryOrCreate' },
      'var-lib-calico': { path: '/var/lib/calico', type: 'DirectoryOrCreate' },
      'xtables-lock': { path: '/run/xtables.lock', type: 'FileOrCreate' },
      'sys-fs': { path: '/sys/fs/', type: 'DirectoryOrCreate' },
      'bpffs': { path: '/sys/fs/bpf', type: 'Directory' },
      'nodeproc': { path: '/proc' },
      'cni-bin-dir': { path: '/opt/cni/bin', type: 'DirectoryOrCreate' },
      'cni-net-dir': { path: '/etc/cni/net.d' },
      'cni-log-dir': { path: '/var/log/calico/cni' },
      'host-local-net-dir': { path: '/var/lib/cni/networks' },
      'policysync': { path: '/var/run/nodeagent', type: 'DirectoryOrCreate' },
    });
    const ebpf = pod.initContainers[2];
    expect(ebpf.volumeMounts).toEqual([
      { name: 'sys-fs', mountPath: '/sys/fs', mountPropagation: 'Bidirectional' },
      { name: 'var-run-calico', mountPath: '/var/run/calico', mountPropagation: 'Bidirectional' },
      { name: 'nodeproc', mountPath: '/nodeproc', readOnly: true },
    ]);
    expect(pod.containers[0].volumeMounts.map((m: any) => `${m.name}:${m.mountPath}`)).toEqual([
      'cni-net-dir:/host/etc/cni/net.d', 'lib-modules:/lib/modules', 'xtables-lock:/run/xtables.lock', 'var-run-calico:/var/run/calico',
      'var-lib-calico:/var/lib/calico', 'policysync:/var/run/nodeagent', 'bpffs:/sys/fs/bpf', 'cni-log-dir:/var/log/calico/cni',
    ]);
  });

  test('calico-node: three privileged init containers and env', () => {
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['upgrade-ipam', 'install-cni', 'ebpf-bootstrap']);
    for (const c of [...pod.initContainers, ...pod.containers]) expect(c.securityContext).toEqual({ privileged: true });
    const install = pod.initContainers[1];
    expect(install.command).toEqual(['/opt/cni/bin/install']);
    expect(install.envFrom).toEqual([{ configMapRef: { name: 'kubernetes-services-endpoint', optional: true } }]);
    expect(envOf(install)).toEqual({
      CNI_CONF_NAME: '10-calico.conflist',
      CNI_NETWORK_CONFIG: { configMapKeyRef: { name: 'calico-config', key: 'cni_network_config' } },
      KUBERNETES_NODE_NAME: { fieldRef: { fieldPath: 'spec.nodeName' } },
      CNI_MTU: { configMapKeyRef: { name: 'calico-config', key: 'veth_mtu' } },
      SLEEP: 'false',
    });
    const node = pod.containers[0];
    const env = envOf(node);
    expect(Object.keys(env)).toEqual(['DATASTORE_TYPE', 'WAIT_FOR_DATASTORE', 'NODENAME', 'CALICO_NETWORKING_BACKEND', 'CLUSTER_TYPE', 'IP',
      'CALICO_IPV4POOL_IPIP', 'CALICO_IPV4POOL_VXLAN', 'CALICO_IPV6POOL_VXLAN', 'FELIX_IPINIPMTU', 'FELIX_VXLANMTU', 'FELIX_WIREGUARDMTU',
      'CALICO_DISABLE_FILE_LOGGING', 'FELIX_DEFAULTENDPOINTTOHOSTACTION', 'FELIX_IPV6SUPPORT', 'FELIX_HEALTHENABLED']);
    expect(env).toMatchObject({ DATASTORE_TYPE: 'kubernetes', CLUSTER_TYPE: 'k8s,bgp', IP: 'autodetect', CALICO_IPV4POOL_IPIP: 'Always', CALICO_IPV4POOL_VXLAN: 'Never', CALICO_IPV6POOL_VXLAN: 'Never', FELIX_IPV6SUPPORT: 'false' });
    // upstream leaves CALICO_IPV4POOL_CIDR commented out; so do the defaults
    expect(env.CALICO_IPV4POOL_CIDR).toBeUndefined();
    expect(node.livenessProbe.exec.command).toEqual(['/bin/calico-node', '-felix-live', '-bird-live']);
    expect(node.readinessProbe.exec.command).toEqual(['/bin/calico-node', '-felix-ready', '-bird-ready']);
    expect(node.lifecycle.preStop.exec.command).toEqual(['/bin/calico-node', '-shutdown']);
    expect(node.resources.requests).toEqual({ cpu: '250m' });
  });

  test('calico-kube-controllers Deployment and PDB', () => {
    const d = find(objs, 'Deployment', 'calico-kube-controllers');
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const p = d.spec.template.spec;
    expect(p.priorityClassName).toBe('system-cluster-critical');
    expect(p.hostNetwork).toBeUndefined();
    expect(p.tolerations).toEqual([
      { key: 'CriticalAddonsOnly', operator: 'Exists' },
      { key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' },
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
    ]);
    expect(envOf(p.containers[0])).toEqual({ ENABLED_CONTROLLERS: 'node,loadbalancer', DATASTORE_TYPE: 'kubernetes' });
    expect(p.containers[0].securityContext).toEqual({ runAsNonRoot: true });
    const pdb = find(objs, 'PodDisruptionBudget', 'calico-kube-controllers');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'k8s-app': 'calico-kube-controllers' } } });
  });

  test('images pinned at v3.32.1', () => {
    expect(pod.initContainers.map((c: any) => c.image)).toEqual(['quay.io/calico/cni:v3.32.1', 'quay.io/calico/cni:v3.32.1', 'quay.io/calico/node:v3.32.1']);
    expect(pod.containers[0].image).toBe('quay.io/calico/node:v3.32.1');
    expect(find(objs, 'Deployment', 'calico-kube-controllers').spec.template.spec.containers[0].image).toBe('quay.io/calico/kube-controllers:v3.32.1');
  });

  test('valid against the Kubernetes 1.27 schemas', () => expectValidObjects(objs));
});

describe('Calico typed options', () => {
  test('pool, autodetection, MTU, wireguard', () => {
    const objs = synth({
      mtu: 1440, wireguard: true,
      ipv4Pool: { cidr: '10.244.0.0/16', blockSize: 24, ipipMode: CalicoEncapsulationMode.CROSS_SUBNET, natOutgoing: true },
      ipAutodetectionMethod: IpAutodetectionMethod.canReach('8.8.8.8'),
    });
    const env = envOf(find(objs, 'DaemonSet', 'calico-node').spec.template.spec.containers[0]);
    expect(env).toMatchObject({
      CALICO_IPV4POOL_CIDR: '10.244.0.0/16', CALICO_IPV4POOL_BLOCK_SIZE: '24', CALICO_IPV4POOL_IPIP: 'CrossSubnet',
      CALICO_IPV4POOL_NAT_OUTGOING: 'true', IP_AUTODETECTION_METHOD: 'can-reach=8.8.8.8', FELIX_WIREGUARDENABLED: 'true',
    });
    expect(find(objs, 'ConfigMap', 'calico-config').data.veth_mtu).toBe('1440');
  });

  test('autodetection methods render their wire values', () => {
    expect(IpAutodetectionMethod.firstFound().value).toBe('first-found');
    expect(IpAutodetectionMethod.interface('eth.*', 'ens.*').value).toBe('interface=eth.*,ens.*');
    expect(IpAutodetectionMethod.skipInterface('docker.*').value).toBe('skip-interface=docker.*');
    expect(IpAutodetectionMethod.cidr('10.0.0.0/8').value).toBe('cidr=10.0.0.0/8');
    expect(IpAutodetectionMethod.kubernetesInternalIp().value).toBe('kubernetes-internal-ip');
  });

  test('the vxlan backend switches encapsulation and drops the bird probes (as calico-vxlan.yaml)', () => {
    const objs = synth({ backend: CalicoBackend.VXLAN });
    const node = find(objs, 'DaemonSet', 'calico-node').spec.template.spec.containers[0];
    expect(envOf(node)).toMatchObject({ CALICO_IPV4POOL_IPIP: 'Never', CALICO_IPV4POOL_VXLAN: 'CrossSubnet', CALICO_IPV6POOL_VXLAN: 'CrossSubnet' });
    expect(node.livenessProbe.exec.command).toEqual(['/bin/calico-node', '-felix-live']);
    expect(node.readinessProbe.exec.command).toEqual(['/bin/calico-node', '-felix-ready']);
    expect(find(objs, 'ConfigMap', 'calico-config').data.calico_backend).toBe('vxlan');
  });

  test('fails on bad pools and encapsulation', () => {
    expect(() => synth({ ipv4Pool: { cidr: '192.168.0.0' } })).toThrow(/'ipv4Pool.cidr' is not an IPv4 prefix: got "192.168.0.0"/);
    expect(() => synth({ ipv4Pool: { cidr: '10.244.0.0/16', blockSize: 8 } })).toThrow(/'ipv4Pool.blockSize' is not a block size Calico accepts: got 8/);
    expect(() => synth({ ipv4Pool: { vxlanMode: CalicoEncapsulationMode.ALWAYS } })).toThrow(/'ipv4Pool.vxlanMode' is Always while ipipMode is Always; a pool has one encapsulation/);
    expect(() => synth({ backend: CalicoBackend.VXLAN, ipv4Pool: { ipipMode: CalicoEncapsulationMode.ALWAYS, vxlanMode: CalicoEncapsulationMode.NEVER } }))
      .toThrow(/'ipv4Pool.ipipMode' is Always, but IP-in-IP needs BGP/);
    expect(() => synth({ mtu: 100 })).toThrow(/'mtu' is not a usable MTU: got 100/);
    expect(() => synth({ ipAutodetectionMethod: IpAutodetectionMethod.cidr('10.0.0.0') })).toThrow(/'ipAutodetectionMethod' names a CIDR that is not one: got "10.0.0.0"/);
  });

  test('the example chart synthesizes valid objects', () => {
    const objs = new CalicoChart(new App(), 'calico').toJson();
    expect(objs).toHaveLength(38);
    expectValidObjects(objs);
  });
});
