import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeRouter, KubeRouterKubeconfig, KubeRouterOverlayEncap, KubeRouterOverlayType } from '../../lib/installers/kube-router';
import { KubeRouterChart } from '../../examples/cluster/kube-router';
import { Multus as RealMultus } from '../../lib/installers/multus';
import { expectValidObjects } from '../util/schema';

function synth(props = {}): any[] {
  const chart = Testing.chart();
  new KubeRouter(chart, 'KubeRouter', props);
  return Testing.synth(chart);
}
const find = (objs: any[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);

/** Stands for the Multus construct: the guards recognise Multus by class name. */
class Multus extends Construct {
  public readonly flavor = 'thick';
  public readonly chrootDir = '/hostroot';
}

describe('kube-router defaults compared with kubeadm-kuberouter-all-features.yaml v2.11.1', () => {
  const objs = synth();
  const ds = find(objs, 'DaemonSet', 'kube-router');
  const pod = ds.spec.template.spec;

  test('object kinds and names', () => {
    expect(objs.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort()).toEqual([
      'ClusterRole//kube-router',
      'ClusterRoleBinding//kube-router',
      'ConfigMap/kube-system/kube-router-cfg',
      'DaemonSet/kube-system/kube-router',
      'ServiceAccount/kube-system/kube-router',
    ]);
  });

  test('RBAC rules are exactly upstream', () => {
    const cr = find(objs, 'ClusterRole', 'kube-router');
    // Intended difference: upstream writes a meaningless metadata.namespace on this cluster-scoped object.
    expect(cr.metadata.namespace).toBeUndefined();
    expect(cr.rules).toEqual([
      { apiGroups: [''], resources: ['namespaces', 'pods', 'services', 'nodes', 'endpoints'], verbs: ['list', 'get', 'watch'] },
      { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['list', 'get', 'watch'] },
      { apiGroups: ['extensions'], resources: ['networkpolicies'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
      { apiGroups: [''], resources: ['services/status'], verbs: ['update'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
    ]);
    const crb = find(objs, 'ClusterRoleBinding', 'kube-router');
    expect(crb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kube-router' });
    expect(crb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'kube-router', namespace: 'kube-system' }]);
  });

  test('ConfigMap holds the conflist', () => {
    const cm = find(objs, 'ConfigMap', 'kube-router-cfg');
    expect(cm.metadata.labels).toEqual({ 'tier': 'node', 'k8s-app': 'kube-router' });
    expect(Object.keys(cm.data)).toEqual(['cni-conf.json']);
    expect(JSON.parse(cm.data['cni-conf.json'])).toEqual({
      cniVersion: '0.3.0', name: 'mynet',
      plugins: [{ name: 'kubernetes', type: 'bridge', bridge: 'kube-bridge', isDefaultGateway: true, hairpinMode: true, ipam: { type: 'host-local' } }],
    });
  });

  test('host access: hostNetwork + hostPID, priority, tolerations, selector', () => {
    expect(ds.spec.selector).toEqual({ matchLabels: { 'k8s-app': 'kube-router', 'tier': 'node' } });
    expect(ds.spec.updateStrategy).toBeUndefined();
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBe(true);
    expect(pod.priorityClassName).toBe('system-node-critical');
    expect(pod.serviceAccountName).toBe('kube-router');
    // Intended difference: upstream also sets the deprecated alias `serviceAccount`; only the current field is written.
    expect(pod.serviceAccount).toBeUndefined();
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.tolerations).toEqual([
      { effect: 'NoSchedule', operator: 'Exists' },
      { key: 'CriticalAddonsOnly', operator: 'Exists' },
      { effect: 'NoExecute', operator: 'Exists' },
    ]);
  });

  test('volumes and mounts', () => {
    const vols = Object.fromEntries(pod.volumes.map((v: any) => [v.name, v]));
    expect(Object.keys(vols).sort()).toEqual(['cni-conf-dir', 'host-opt', 'kube-router-cfg', 'kubeconfig', 'lib-modules', 'xtables-lock']);
    expect(vols['lib-modules'].hostPath).toEqual({ path: '/lib/modules' });
    expect(vols['cni-conf-dir'].hostPath).toEqual({ path: '/etc/cni/net.d' });
    expect(vols['host-opt'].hostPath).toEqual({ path: '/opt' });
    expect(vols['xtables-lock'].hostPath).toEqual({ path: '/run/xtables.lock', type: 'FileOrCreate' });
    expect(vols['kube-router-cfg'].configMap).toEqual({ name: 'kube-router-cfg' });
    expect(vols.kubeconfig.configMap).toEqual({ name: 'kube-proxy', items: [{ key: 'kubeconfig.conf', path: 'kubeconfig' }] });
    expect(pod.initContainers[0].volumeMounts).toEqual([
      { name: 'cni-conf-dir', mountPath: '/etc/cni/net.d' },
      { name: 'kube-router-cfg', mountPath: '/etc/kube-router' },
      { name: 'host-opt', mountPath: '/opt' },
    ]);
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'lib-modules', mountPath: '/lib/modules', readOnly: true },
      { name: 'cni-conf-dir', mountPath: '/etc/cni/net.d' },
      { name: 'kubeconfig', mountPath: '/var/lib/kube-router', readOnly: true },
      { name: 'xtables-lock', mountPath: '/run/xtables.lock', readOnly: false },
    ]);
  });

  test('containers: privileged agent with the all-features args, env, install script', () => {
    const c = pod.containers[0];
    expect(c.securityContext).toEqual({ privileged: true });
    expect(c.args).toEqual(['--run-router=true', '--run-firewall=true', '--run-service-proxy=true', '--bgp-graceful-restart=true', '--kubeconfig=/var/lib/kube-router/kubeconfig']);
    expect(c.env.map((e: any) => e.name)).toEqual(['NODE_NAME', 'POD_NAME', 'KUBE_ROUTER_CNI_CONF_FILE']);
    expect(c.env[2].value).toBe('/etc/cni/net.d/10-kuberouter.conflist');
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 20244 });
    expect(c.resources.requests).toEqual({ cpu: '250m', memory: '250Mi' });
    const init = pod.initContainers[0];
    expect(init.name).toBe('install-cni');
    expect(init.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    // without Multus the upstream first-install step that removes *.conf is kept
    expect(init.command[2]).toContain('rm -f /etc/cni/net.d/*.conf');
    expect(init.command[2]).toContain('mv ${TMP} /etc/cni/net.d/10-kuberouter.conflist');
    expect(init.command[2]).toContain('/usr/local/bin/cni-install');
  });

  test('images are pinned', () => {
    // Intended difference: upstream uses the untagged image (latest) with imagePullPolicy Always;
    // the library pins the release tag of the manifest, so IfNotPresent is right.
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.image).toBe('docker.io/cloudnativelabs/kube-router:v2.11.1');
      expect(c.imagePullPolicy).toBe('IfNotPresent');
    }
  });

  test('valid against the Kubernetes 1.27 schemas', () => {
    expectValidObjects(objs);
  });
});

describe('kube-router typed options', () => {
  test('switches, overlay, BGP and kubeconfig', () => {
    const objs = synth({
      runServiceProxy: false,
      overlay: { type: KubeRouterOverlayType.FULL, encap: KubeRouterOverlayEncap.FOU, encapPort: 5556 },
      clusterAsn: 65001,
      peers: [{ ip: '192.0.2.1', asn: 65000 }, { ip: '192.0.2.2', asn: 65002, password: 'c2VjcmV0' }],
      autoMtu: false,
      kubeconfig: KubeRouterKubeconfig.inCluster(),
    });
    const pod = find(objs, 'DaemonSet', 'kube-router').spec.template.spec;
    expect(pod.containers[0].args).toEqual([
      '--run-router=true', '--run-firewall=true', '--run-service-proxy=false', '--bgp-graceful-restart=true',
      '--overlay-type=full', '--overlay-encap=fou', '--overlay-encap-port=5556', '--cluster-asn=65001',
      '--peer-router-ips=192.0.2.1,192.0.2.2', '--peer-router-asns=65000,65002', '--peer-router-passwords=,c2VjcmV0',
      '--auto-mtu=false',
    ]);
    expect(pod.volumes.map((v: any) => v.name)).not.toContain('kubeconfig');
    expectValidObjects(objs);
  });

  test('fails on bad BGP values', () => {
    expect(() => synth({ clusterAsn: 0 })).toThrow(/'clusterAsn' is not an AS number: got 0; use an integer/);
    expect(() => synth({ peers: [{ ip: '192.0.2', asn: 65000 }] })).toThrow(/'peers\[0\].ip' is not an IP address: got "192.0.2"/);
    expect(() => synth({ overlay: { encapPort: 5555 } })).toThrow(/'overlay.encapPort' is only read with the fou encapsulation/);
    expect(() => synth({ runRouter: false, runFirewall: false, runServiceProxy: false })).toThrow(/'runRouter' is false, as are runFirewall and runServiceProxy/);
  });
});

describe('kube-router co-existence with Multus', () => {
  test('with Multus present the install script keeps other *.conf files', () => {
    const chart = Testing.chart();
    new Multus(chart, 'Multus');
    const kr = new KubeRouter(chart, 'KubeRouter');
    const ds = find(Testing.synth(chart), 'DaemonSet', 'kube-router');
    expect(kr.removeOtherConfFiles).toBe(false);
    expect(ds.spec.template.spec.initContainers[0].command[2]).not.toContain('rm -f');
  });

  test('fails when removal is forced while Multus is present', () => {
    const chart = Testing.chart();
    new Multus(chart, 'Multus');
    new KubeRouter(chart, 'KubeRouter', { removeOtherConfFiles: true });
    expect(() => Testing.synth(chart)).toThrow(/'removeOtherConfFiles' deletes every \*.conf in \/etc\/cni\/net.d on first install, including 00-multus.conf/);
  });

  test('the example chart synthesizes valid objects', () => {
    const objs = new KubeRouterChart(new App(), 'kube-router').toJson();
    expect(objs.filter((o: any) => o.kind === 'DaemonSet').map((o: any) => o.metadata.name)).toEqual(['kube-router']);
    expectValidObjects(objs);
  });

  test('two cluster networks in one cluster fail', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new KubeRouter(chart, 'A');
    new KubeRouter(chart, 'B');
    expect(() => app.synthYaml()).toThrow(/'clusterNetwork' is one of 2 primary cluster networks/);
  });
});

describe('kube-router with the real Multus construct', () => {
  test('keeps 00-multus.conf, and fails when removal is forced', () => {
    const chart = Testing.chart();
    new RealMultus(chart, 'Multus');
    const kr = new KubeRouter(chart, 'KubeRouter');
    expect(kr.removeOtherConfFiles).toBe(false);
    const bad = Testing.chart();
    new RealMultus(bad, 'Multus');
    new KubeRouter(bad, 'KubeRouter', { removeOtherConfFiles: true });
    expect(() => Testing.synth(bad)).toThrow(/'removeOtherConfFiles' deletes every \*.conf/);
  });
});
