import { App, Chart, Testing } from 'cdk8s';
import { CniPluginsChart } from '../../examples/cluster/cni-plugins';
import { CniConfig } from '../../lib/cni/config';
import { DhcpIpam } from '../../lib/cni/ipam/dhcp';
import { MacvlanPlugin } from '../../lib/cni/plugins/macvlan';
import { NetworkAttachmentDefinition } from '../../lib/network-attachment-definition';
import { CniPlugins, CniPluginsSource, DhcpDaemon, DhcpDaemonMode, NodeArch } from '../../lib/installers/cni-plugins';
import { ContainerImage } from '../../lib/installers/container-image';
import { containernetworkingPluginTypes } from '../../lib/installers/inventory';
import { expectValidObjects } from '../util/schema';

const find = (objs: any[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);
const hostPaths = (pod: any) => Object.fromEntries(pod.volumes.map((v: any) => [v.name, v.hostPath?.path ?? `configMap:${v.configMap?.name}`]));
const mounts = (c: any, pod: any) => c.volumeMounts.map((m: any) => [hostPaths(pod)[m.name], m.mountPath, m.mountPropagation ?? '']);
const dhcpNad = (scope: Chart, id = 'Dhcp') => new NetworkAttachmentDefinition(scope, id, {
  metadata: { name: id.toLowerCase() },
  config: CniConfig.list([new MacvlanPlugin({ master: 'eth0', ipam: new DhcpIpam() })]),
});

// Facts of reference-deployment @ ace7ef28 reference-cni-plugin-install/reference-cni-daemonset.yml,
// and multus-dhcp/dhcp-daemonset.yml, written here (the tests never read the upstream files).
describe('reference CNI plugins installer compared with the NPWG reference deployment', () => {
  const chart = Testing.chart();
  const installer = new CniPlugins(chart, 'CniPlugins');
  const objs = Testing.synth(chart);
  const ds = find(objs, 'DaemonSet', 'kube-containernetworking-plugins-ds-amd64');
  const pod = ds.spec.template.spec;

  test('object kinds and names (no dhcp daemon without a dhcp NAD)', () => {
    expect(objs.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/kube-system/cni-binary-copy-script',
      'DaemonSet/kube-system/kube-containernetworking-plugins-ds-amd64',
    ]);
    expect(installer.dhcpDaemon).toBeUndefined();
  });

  test('ConfigMap key cnibincopy.sh: downloads v1.9.1 and copies atomically into /host/opt/cni/bin', () => {
    const cm = find(objs, 'ConfigMap', 'cni-binary-copy-script');
    expect(Object.keys(cm.data)).toEqual(['cnibincopy.sh']);
    const script: string = cm.data['cnibincopy.sh'];
    // intended difference: upstream copies from the floating nfvpe image; we download the pinned release
    // tarball (as the reference master and the Multus e2e install do), or copy from an image you pin
    expect(script).toContain('https://github.com/containernetworking/plugins/releases/download/v1.9.1/cni-plugins-linux-amd64-v1.9.1.tgz');
    expect(script).toMatch(/cp -f "\$SRC\/\$p" "\/host\/opt\/cni\/bin\/\.\$p\.new"\n\s*mv -f/);
  });

  test('DaemonSet: labels, selector, hostNetwork, arch selector, tolerations, no priority class', () => {
    expect(ds.metadata.labels).toEqual({ tier: 'node', app: 'containernetworking-plugins', name: 'containernetworking-plugins' });
    expect(ds.spec.selector).toEqual({ matchLabels: { name: 'containernetworking-plugins' } });
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBeUndefined();
    // intended difference: kubernetes.io/os: linux added next to the upstream arch selector
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' });
    expect(pod.tolerations).toEqual([{ operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod.priorityClassName).toBeUndefined();
  });

  test('init container copies privileged into /opt/cni/bin; pause container 100m/50Mi', () => {
    const init = pod.initContainers[0];
    expect(init.name).toBe('containernetworking-binary-copy');
    expect(init.securityContext).toEqual({ privileged: true });
    // intended difference: run through /bin/sh (upstream execs the script file directly)
    expect(init.command).toEqual(['/bin/sh', '/entrypoint/cnibincopy.sh']);
    expect(mounts(init, pod)).toEqual([['configMap:cni-binary-copy-script', '/entrypoint', ''], ['/opt/cni/bin', '/host/opt/cni/bin', '']]);
    expect(pod.volumes.find((v: any) => v.name === 'cni-binary-copy').configMap.defaultMode).toBe(0o744);
    const c = pod.containers[0];
    expect([c.name, c.command, c.args]).toEqual(['kube-containernetworking-plugins', ['sleep'], ['infinity']]);
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: '100m', memory: '50Mi' } });
    expect(c.securityContext).toBeUndefined();
  });

  test('images pinned', () => {
    // intended difference: upstream uses nfvpe/containernetworking-plugins and busybox without tags
    expect(pod.initContainers[0].image).toBe('docker.io/library/alpine:3.20.3');
    expect(pod.containers[0].image).toBe('docker.io/library/busybox:1.36.1');
  });

  test('provides the containernetworking set of its version', () => {
    expect([...installer.providedCniTypes].sort()).toEqual([
      'bandwidth', 'bridge', 'dhcp', 'dummy', 'firewall', 'host-device', 'host-local', 'ipvlan', 'loopback', 'macvlan',
      'portmap', 'ptp', 'sbr', 'static', 'tap', 'tuning', 'vlan', 'vrf',
    ]);
    // Debian's 1.1.1 has no dummy and no tap
    expect(containernetworkingPluginTypes('1.1.1')).not.toContain('dummy');
    expect(containernetworkingPluginTypes('1.1.1')).not.toContain('tap');
  });

  test('valid against the Kubernetes 1.27 schemas', () => {
    expectValidObjects(objs);
  });
});

describe('options', () => {
  test('a plugin subset, no overwrite, an image source, arm64, a sha256 check', () => {
    const chart = Testing.chart();
    const i = new CniPlugins(chart, 'P', {
      plugins: ['macvlan', 'host-local'], overwrite: false, arch: NodeArch.ARM64,
      source: CniPluginsSource.image(ContainerImage.of('registry.local/cni-plugins:v1.9.1'), { directory: '/plugins' }),
    });
    const objs = Testing.synth(chart);
    const script = find(objs, 'ConfigMap', 'cni-binary-copy-script').data['cnibincopy.sh'];
    expect(script).toContain('SRC=/plugins');
    expect(script).toContain('for p in macvlan host-local; do');
    expect(script).toContain('[ -e "/host/opt/cni/bin/$p" ] && continue');
    expect(script).not.toContain('wget');
    expect(find(objs, 'DaemonSet', 'kube-containernetworking-plugins-ds-arm64').spec.template.spec.initContainers[0].image).toBe('registry.local/cni-plugins:v1.9.1');
    expect(i.providedCniTypes).toEqual(['macvlan', 'host-local']);
    const c2 = Testing.chart();
    new CniPlugins(c2, 'P', { source: CniPluginsSource.release({ sha256: 'a'.repeat(64), baseUrl: 'https://mirror.local/cni' }) });
    const s2 = find(Testing.synth(c2), 'ConfigMap', 'cni-binary-copy-script').data['cnibincopy.sh'];
    expect(s2).toContain(`echo "${'a'.repeat(64)}  /tmp/cni-plugins-linux-amd64-v1.9.1.tgz" | sha256sum -c -`);
    expect(s2).toContain('wget -q -O /tmp/cni-plugins-linux-amd64-v1.9.1.tgz https://mirror.local/cni/v1.9.1/');
  });

  test('fails on an unknown plugin, a bad version and a bad sha256', () => {
    expect(() => new CniPlugins(Testing.chart(), 'P', { plugins: ['flannel'] }))
      .toThrow(/'plugins\[0\]' is not a plugin of containernetworking\/plugins 1\.9\.1: got "flannel"; use some of bandwidth/);
    expect(() => new CniPlugins(Testing.chart(), 'P', { source: CniPluginsSource.release({ version: 'v1.9' }) }))
      .toThrow(/'source\.version' is not a release version: got "v1\.9"/);
    expect(() => new CniPlugins(Testing.chart(), 'P', { source: CniPluginsSource.release({ sha256: 'xyz' }) }))
      .toThrow(/'source\.sha256' is not a sha256 digest: got "xyz"/);
  });
});

describe('dhcp daemon', () => {
  test('compared with multus-dhcp/dhcp-daemonset.yml', () => {
    const chart = Testing.chart();
    new DhcpDaemon(chart, 'Dhcp');
    const objs = Testing.synth(chart);
    expectValidObjects(objs);
    const ds = find(objs, 'DaemonSet', 'kube-dhcp-ds-amd64');
    expect(ds.metadata.labels).toEqual({ tier: 'node', app: 'dhcp' });
    expect(ds.spec.selector).toEqual({ matchLabels: { tier: 'node', app: 'dhcp' } });
    const pod = ds.spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    // intended difference: kubernetes.io/arch instead of the deprecated beta.kubernetes.io/arch, plus os: linux
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' });
    expect(pod.tolerations).toEqual([{ operator: 'Exists', effect: 'NoSchedule' }]);
    const init = pod.initContainers[0];
    expect([init.name, init.command, init.args]).toEqual(['clean-up', ['/bin/sh'], ['-c', 'rm -f /host/run/cni/dhcp.sock']]);
    expect(init.securityContext).toEqual({ privileged: true });
    expect(mounts(init, pod)).toEqual([['/run/cni', '/host/run/cni', '']]);
    const c = pod.containers[0];
    expect(c.name).toBe('kube-dhcp');
    expect(c.securityContext).toEqual({ privileged: true });
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: '100m', memory: '50Mi' } });
    // intended difference: the host's own pinned dhcp binary runs (read-only mount of /opt/cni/bin)
    // instead of the floating quay.io/aneeshkp/cni-dhcp-daemon:latest image
    expect(c.command.join(' ')).toContain('dhcp daemon -hostprefix /host');
    expect(c.image).toBe('docker.io/library/busybox:1.36.1');
    expect(mounts(c, pod)).toEqual([
      ['/run/cni', '/host/run/cni', ''],
      ['/proc', '/host/proc', ''],
      ['/run/netns', '/host/var/run/netns', 'HostToContainer'],
      ['/opt/cni/bin', '/host/opt/cni/bin', ''],
    ]);
  });

  test('added automatically when a NAD of the cluster uses dhcp IPAM, NAD built after the installer', () => {
    const chart = Testing.chart();
    const i = new CniPlugins(chart, 'CniPlugins');
    dhcpNad(chart);
    expect(i.dhcpDaemon).toBeDefined();
    const objs = Testing.synth(chart);
    expect(find(objs, 'DaemonSet', 'kube-dhcp-ds-amd64')).toBeDefined();
    expectValidObjects(objs);
  });

  test('added automatically when the NAD is built first, once for several NADs', () => {
    const app = new App();
    const apps = new Chart(app, 'apps');
    dhcpNad(apps, 'A');
    dhcpNad(apps, 'B');
    const cluster = new Chart(app, 'cluster');
    new CniPlugins(cluster, 'CniPlugins');
    const objs = Testing.synth(cluster);
    expect(objs.filter((o: any) => o.kind === 'DaemonSet').map((o: any) => o.metadata.name)).toEqual(['kube-containernetworking-plugins-ds-amd64', 'kube-dhcp-ds-amd64']);
  });

  test('NEVER: no daemon, and the dhcp NAD fails at synth naming the fix', () => {
    const chart = Testing.chart();
    new CniPlugins(chart, 'CniPlugins', { dhcpDaemon: DhcpDaemonMode.NEVER });
    dhcpNad(chart);
    expect(() => Testing.synth(chart)).toThrow(/'spec\.config\.plugins\[0\]\.ipam\.type' uses dhcp IPAM, which needs the dhcp daemon on every node, and cluster "default" runs none: got "dhcp"; call addDhcpDaemon\(\) on .*CniPlugins/);
  });

  test('ALWAYS: the daemon without any NAD', () => {
    const chart = Testing.chart();
    new CniPlugins(chart, 'CniPlugins', { dhcpDaemon: DhcpDaemonMode.ALWAYS });
    expect(find(Testing.synth(chart), 'DaemonSet', 'kube-dhcp-ds-amd64')).toBeDefined();
  });
});

test('example chart synthesizes with id cni-plugins and is valid', () => {
  const app = Testing.app();
  const objs = Testing.synth(new CniPluginsChart(app, 'cni-plugins'));
  expect(objs).toHaveLength(2);
  expectValidObjects(objs);
});
