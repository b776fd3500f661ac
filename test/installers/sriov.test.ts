import { Testing } from 'cdk8s';
import { SriovDevicePluginChart } from '../../examples/cluster/sriov-device-plugin';
import { SriovCni, SriovDeviceType, SriovNetworkDevicePlugin } from '../../lib/installers/sriov';
import { expectValidObjects } from '../util/schema';

const find = (objs: any[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);
const volumeMap = (pod: any) => Object.fromEntries(pod.volumes.map((v: any) => [v.name, v.hostPath ? `${v.hostPath.path}${v.hostPath.type ? ` (${v.hostPath.type})` : ''}` : `configMap:${v.configMap.name}`]));

// Facts of sriov-network-device-plugin v3.11.0 deployments/{sriovdp-daemonset,configMap}.yaml and
// sriov-cni v2.10.0 images/sriov-cni-daemonset.yaml, written here (the tests never read them).
describe('SR-IOV network device plugin compared with v3.11.0', () => {
  const chart = Testing.chart();
  const dp = new SriovNetworkDevicePlugin(chart, 'Dp');
  const objs = Testing.synth(chart);
  const ds = find(objs, 'DaemonSet', 'kube-sriov-device-plugin');
  const pod = ds.spec.template.spec;

  test('object kinds and names: no RBAC objects', () => {
    expect(objs.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/kube-system/sriovdp-config',
      'DaemonSet/kube-system/kube-sriov-device-plugin',
      'ServiceAccount/kube-system/sriov-device-plugin',
    ]);
  });

  test('ConfigMap config.json: the upstream sample resource list by default', () => {
    const cm = find(objs, 'ConfigMap', 'sriovdp-config');
    expect(Object.keys(cm.data)).toEqual(['config.json']);
    expect(JSON.parse(cm.data['config.json'])).toEqual({
      resourceList: [
        { resourceName: 'intel_sriov_netdevice', selectors: { vendors: ['8086'], devices: ['154c', '10ed', '1889'], drivers: ['i40evf', 'iavf', 'ixgbevf'] } },
        { resourceName: 'intel_sriov_dpdk', selectors: { vendors: ['8086'], devices: ['154c', '10ed', '1889'], drivers: ['vfio-pci'], pfNames: ['enp0s0f0', 'enp2s2f1'] } },
        { resourceName: 'mlnx_sriov_rdma', selectors: { vendors: ['15b3'], devices: ['1018'], drivers: ['mlx5_ib'], isRdma: true } },
        { resourceName: 'brcm_sriov_bnxt', selectors: { vendors: ['14e4'], devices: ['1750'], drivers: ['bnxt_en'] } },
      ],
    });
    expect(dp.resourceNames).toEqual(['intel.com/intel_sriov_netdevice', 'intel.com/intel_sriov_dpdk', 'intel.com/mlnx_sriov_rdma', 'intel.com/brcm_sriov_bnxt']);
  });

  test('DaemonSet: labels, hostNetwork, privileged, no tolerations / priority / update strategy', () => {
    expect(ds.spec.selector).toEqual({ matchLabels: { name: 'sriov-device-plugin' } });
    expect(ds.spec.template.metadata.labels).toEqual({ name: 'sriov-device-plugin', tier: 'node', app: 'sriovdp' });
    expect(ds.spec.updateStrategy).toBeUndefined();
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBeUndefined();
    expect(pod.tolerations).toBeUndefined();
    expect(pod.priorityClassName).toBeUndefined();
    // intended difference: linux nodeSelector (upstream: none); set nodeSelector to target SR-IOV nodes
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.serviceAccountName).toBe('sriov-device-plugin');
    const c = pod.containers[0];
    expect(c.name).toBe('kube-sriovdp');
    expect(c.args).toEqual(['--log-dir=sriovdp', '--log-level=10']);
    expect(c.securityContext).toEqual({ privileged: true });
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '40Mi' }, limits: { cpu: '1', memory: '200Mi' } });
    const vols = volumeMap(pod);
    expect(c.volumeMounts.map((m: any) => [vols[m.name], m.mountPath])).toEqual([
      ['/var/lib/kubelet/device-plugins', '/var/lib/kubelet/device-plugins'],
      ['/var/lib/kubelet/plugins_registry', '/var/lib/kubelet/plugins_registry'],
      ['/var/log', '/var/log'],
      ['configMap:sriovdp-config', '/etc/pcidp'],
      ['/var/run/k8s.cni.cncf.io/devinfo/dp (DirectoryOrCreate)', '/var/run/k8s.cni.cncf.io/devinfo/dp'],
    ]);
    // intended difference: pinned v3.11.0 instead of :latest
    expect(c.image).toBe('ghcr.io/k8snetworkplumbingwg/sriov-network-device-plugin:v3.11.0');
  });

  test('installs no CNI binary', () => {
    expect(dp.providedCniTypes).toEqual([]);
  });

  test('valid against the Kubernetes 1.27 schemas', () => {
    expectValidObjects(objs);
  });
});

describe('typed resource list', () => {
  test('prefix, device type and selectors in a fixed order', () => {
    const chart = Testing.chart();
    const dp = new SriovNetworkDevicePlugin(chart, 'Dp', {
      resources: [
        { resourceName: 'dpdk', resourcePrefix: 'acme.com', selectors: { drivers: ['vfio-pci'], pfNames: ['ens1f0#0-7'], vendors: ['8086'] } },
        { resourceName: 'fec', deviceType: SriovDeviceType.ACCELERATOR, selectors: { vendors: ['8086'], devices: ['0d5c'] } },
      ],
      nodeSelector: { 'feature.node.kubernetes.io/network-sriov.capable': 'true' },
    });
    const cm = find(Testing.synth(chart), 'ConfigMap', 'sriovdp-config');
    expect(cm.data['config.json']).toContain('"vendors"');
    expect(JSON.parse(cm.data['config.json']).resourceList).toEqual([
      { resourceName: 'dpdk', resourcePrefix: 'acme.com', selectors: { vendors: ['8086'], drivers: ['vfio-pci'], pfNames: ['ens1f0#0-7'] } },
      { resourceName: 'fec', deviceType: 'accelerator', selectors: { vendors: ['8086'], devices: ['0d5c'] } },
    ]);
    expect(Object.keys(JSON.parse(cm.data['config.json']).resourceList[0].selectors)).toEqual(['vendors', 'drivers', 'pfNames']);
    expect(dp.resourceNames).toEqual(['acme.com/dpdk', 'intel.com/fec']);
  });

  test('fails on a bad name, a selector the device type does not read, a bad PCI id, duplicates', () => {
    const mk = (resources: any[]) => () => new SriovNetworkDevicePlugin(Testing.chart(), 'Dp', { resources });
    expect(mk([{ resourceName: 'bad-name', selectors: { vendors: ['8086'] } }])).toThrow(/'resources\[0\]\.resourceName' may hold only letters, digits and "_": got "bad-name"/);
    expect(mk([{ resourceName: 'a', deviceType: SriovDeviceType.ACCELERATOR, selectors: { pfNames: ['ens1'] } }])).toThrow(/'resources\[0\]\.selectors\.pfNames' is not read for deviceType accelerator: got \["ens1"\]/);
    expect(mk([{ resourceName: 'a', selectors: { vendors: ['80861'] } }])).toThrow(/'resources\[0\]\.selectors\.vendors' has an ID that is not 4 hex digits: got "80861"/);
    expect(mk([{ resourceName: 'a', selectors: { vendors: ['8086'] } }, { resourceName: 'a', selectors: { vendors: ['8086'] } }])).toThrow(/'resources\[1\]\.resourceName' is defined twice: got "intel\.com\/a"/);
    expect(mk([{ resourceName: 'a', selectors: {} }])).toThrow(/'resources\[0\]\.selectors' is empty/);
    expect(mk([])).toThrow(/'resources' is empty/);
  });
});

describe('sriov-cni installer compared with v2.10.0', () => {
  const chart = Testing.chart();
  const cni = new SriovCni(chart, 'Cni');
  const objs = Testing.synth(chart);

  test('one DaemonSet, locked down, only /opt/cni/bin, no hostNetwork', () => {
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['DaemonSet/kube-sriov-cni-ds']);
    const ds = objs[0];
    expect(ds.metadata.namespace).toBe('kube-system');
    expect(ds.spec.selector).toEqual({ matchLabels: { name: 'sriov-cni' } });
    expect(ds.spec.template.metadata.labels).toEqual({ name: 'sriov-cni', tier: 'node', app: 'sriov-cni' });
    const pod = ds.spec.template.spec;
    expect(pod.hostNetwork).toBeUndefined();
    expect(pod.tolerations).toEqual([
      { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    expect(pod.priorityClassName).toBeUndefined();
    const c = pod.containers[0];
    expect(c.name).toBe('kube-sriov-cni');
    expect(c.securityContext).toEqual({ privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: '100m', memory: '50Mi' } });
    expect(c.volumeMounts).toEqual([{ name: 'cnibin', mountPath: '/host/opt/cni/bin' }]);
    expect(pod.volumes).toEqual([{ name: 'cnibin', hostPath: { path: '/opt/cni/bin' } }]);
    // intended difference: pinned v2.10.0 (upstream: untagged)
    expect(c.image).toBe('ghcr.io/k8snetworkplumbingwg/sriov-cni:v2.10.0');
    expectValidObjects(objs);
  });

  test('provides the sriov plugin', () => {
    expect(cni.providedCniTypes).toEqual(['sriov']);
  });
});

test('example chart synthesizes with id sriov-device-plugin and is valid', () => {
  const objs = Testing.synth(new SriovDevicePluginChart(Testing.app(), 'sriov-device-plugin'));
  expect(objs.map((o: any) => o.kind).sort()).toEqual(['ConfigMap', 'DaemonSet', 'DaemonSet', 'ServiceAccount']);
  expectValidObjects(objs);
});
