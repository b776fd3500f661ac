/**
 * SR-IOV: the network device plugin v3.11.0 (`deployments/configMap.yaml` +
 * `deployments/sriovdp-daemonset.yaml`) and the sriov-cni v2.10.0 installer
 * (`images/sriov-cni-daemonset.yaml`).
 *
 * - {@link SriovNetworkDevicePlugin}: ServiceAccount `sriov-device-plugin` (bound to nothing, as
 *   upstream), ConfigMap `sriovdp-config` (`config.json`, built from a typed resource list) and
 *   DaemonSet `kube-sriov-device-plugin` (hostNetwork, privileged, kubelet device-plugin paths).
 * - {@link SriovCni}: DaemonSet `kube-sriov-cni-ds` copying the `sriov` binary into `/opt/cni/bin`;
 *   unprivileged, all capabilities dropped, read-only root filesystem, no hostNetwork.
 *
 * A NAD uses a resource through its `resourceName` (`<prefix>/<name>`, e.g.
 * `intel.com/intel_sriov_netdevice`): see {@link SriovNetworkDevicePlugin.resourceNames}.
 *
 * Intended differences: images pinned (`v3.11.0`, `v2.10.0`); a `kubernetes.io/os: linux`
 * nodeSelector (upstream: none for the device plugin, none for sriov-cni).
 */
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ProblemSink, throwIfErrors } from '../cni/problem';
import { ContainerImage } from './container-image';
import { ICniPluginProvider } from './inventory';
import {
  HostPathType, KUBE_SYSTEM, NodeAgentDaemonSet, NodeAgentResources, NodeAgentSecurity, PriorityClass, TaintEffect, Toleration,
  UpdateStrategy,
} from './node-agent';
import { NodeAgentIdentity } from './node-agent-identity';
import { assertProps, pArray, pInt, propsShape } from '../cni/props-check';
import { IMAGE_PROP, OBJECT_PROP, STRING_MAP_PROP, STRING_PROP, TOLERATIONS_PROP } from './installer-props';
import { PRIORITY_CLASS_PROP } from './node-agent';

/** The device plugin release this module reproduces. */
export const SRIOV_DEVICE_PLUGIN_IMAGE = ContainerImage.of('ghcr.io/k8snetworkplumbingwg/sriov-network-device-plugin:v3.11.0');
/** The sriov-cni release this module reproduces. */
export const SRIOV_CNI_IMAGE = ContainerImage.of('ghcr.io/k8snetworkplumbingwg/sriov-cni:v2.10.0');
/** The device plugin's default `resourcePrefix`. */
export const SRIOV_DEFAULT_RESOURCE_PREFIX = 'intel.com';

/** `deviceType` of a resource pool. */
export enum SriovDeviceType {
  /** A VF (or PF) bound to a kernel network driver, or to vfio-pci/uio for DPDK (default). */
  NET_DEVICE = 'netDevice',
  /** An accelerator (e.g. FEC) device. */
  ACCELERATOR = 'accelerator',
  /** An auxiliary network device (Mellanox sub-functions). */
  AUX_NET_DEVICE = 'auxNetDevice',
}

/** `selectors` of a resource pool (README table): every given list narrows the pool. */
export interface SriovSelectors {
  /** PCI vendor IDs, 4 hex digits, e.g. `8086`. @default - any */
  readonly vendors?: string[];
  /** PCI device IDs, 4 hex digits. @default - any */
  readonly devices?: string[];
  /** Driver names, e.g. `iavf`, `vfio-pci`. @default - any */
  readonly drivers?: string[];
  /** PCI addresses, e.g. `0000:03:02.0`. netDevice, accelerator. @default - any */
  readonly pciAddresses?: string[];
  /** ACPI indexes. netDevice. @default - any */
  readonly acpiIndexes?: string[];
  /** PF names, optionally with a VF range `enp2s0f0#0-3`. netDevice, auxNetDevice. @default - any */
  readonly pfNames?: string[];
  /** PF PCI addresses, optionally with a VF range. netDevice, auxNetDevice. @default - any */
  readonly rootDevices?: string[];
  /** Link types, e.g. `ether`, `infiniband`. netDevice, auxNetDevice. @default - any */
  readonly linkTypes?: string[];
  /** DDP profiles. netDevice. @default - any */
  readonly ddpProfiles?: string[];
  /** InfiniBand partition keys. netDevice. @default - any */
  readonly pKeys?: string[];
  /** RDMA devices only. netDevice, auxNetDevice. @default - not set */
  readonly isRdma?: boolean;
  /** Also mount /dev/vhost-net. netDevice. @default - not set */
  readonly needVhostNet?: boolean;
  /** vDPA type: `vhost` or `virtio`. netDevice. @default - not set */
  readonly vdpaType?: 'vhost' | 'virtio';
  /** Auxiliary device types, e.g. `sf`. auxNetDevice. @default - any */
  readonly auxTypes?: string[];
}

/** One resource pool of the device plugin. */
export interface SriovResource {
  /** Alphanumeric and `_`, e.g. `intel_sriov_netdevice`. */
  readonly resourceName: string;
  /** @default - the plugin's default, `intel.com` (not written) */
  readonly resourcePrefix?: string;
  /** @default - the plugin's default, SriovDeviceType.NET_DEVICE (not written) */
  readonly deviceType?: SriovDeviceType;
  /** Do not advertise NUMA topology. @default - not set */
  readonly excludeTopology?: boolean;
  readonly selectors: SriovSelectors;
  /** Extra info passed to the pod's device-info file. @default - none */
  readonly additionalInfo?: Record<string, Record<string, string>>;
}

/** The sample resource list of upstream `deployments/configMap.yaml` (the default). */
export const SRIOV_SAMPLE_RESOURCES: readonly SriovResource[] = [
  { resourceName: 'intel_sriov_netdevice', selectors: { vendors: ['8086'], devices: ['154c', '10ed', '1889'], drivers: ['i40evf', 'iavf', 'ixgbevf'] } },
  { resourceName: 'intel_sriov_dpdk', selectors: { vendors: ['8086'], devices: ['154c', '10ed', '1889'], drivers: ['vfio-pci'], pfNames: ['enp0s0f0', 'enp2s2f1'] } },
  { resourceName: 'mlnx_sriov_rdma', selectors: { vendors: ['15b3'], devices: ['1018'], drivers: ['mlx5_ib'], isRdma: true } },
  { resourceName: 'brcm_sriov_bnxt', selectors: { vendors: ['14e4'], devices: ['1750'], drivers: ['bnxt_en'] } },
];

/** Selector keys in output order, with the device types that read them. */
const SELECTOR_KEYS: ReadonlyArray<readonly [keyof SriovSelectors, readonly SriovDeviceType[]]> = [
  ['vendors', [SriovDeviceType.NET_DEVICE, SriovDeviceType.ACCELERATOR, SriovDeviceType.AUX_NET_DEVICE]],
  ['devices', [SriovDeviceType.NET_DEVICE, SriovDeviceType.ACCELERATOR, SriovDeviceType.AUX_NET_DEVICE]],
  ['drivers', [SriovDeviceType.NET_DEVICE, SriovDeviceType.ACCELERATOR, SriovDeviceType.AUX_NET_DEVICE]],
  ['pciAddresses', [SriovDeviceType.NET_DEVICE, SriovDeviceType.ACCELERATOR]],
  ['acpiIndexes', [SriovDeviceType.NET_DEVICE]],
  ['pfNames', [SriovDeviceType.NET_DEVICE, SriovDeviceType.AUX_NET_DEVICE]],
  ['rootDevices', [SriovDeviceType.NET_DEVICE, SriovDeviceType.AUX_NET_DEVICE]],
  ['linkTypes', [SriovDeviceType.NET_DEVICE, SriovDeviceType.AUX_NET_DEVICE]],
  ['ddpProfiles', [SriovDeviceType.NET_DEVICE]],
  ['pKeys', [SriovDeviceType.NET_DEVICE]],
  ['isRdma', [SriovDeviceType.NET_DEVICE, SriovDeviceType.AUX_NET_DEVICE]],
  ['needVhostNet', [SriovDeviceType.NET_DEVICE]],
  ['vdpaType', [SriovDeviceType.NET_DEVICE]],
  ['auxTypes', [SriovDeviceType.AUX_NET_DEVICE]],
];

/** Checks a resource list. */
export function checkSriovResources(sink: ProblemSink, resources: readonly SriovResource[]): void {
  if (resources.length === 0) sink.error('resources', 'is empty: the device plugin would advertise nothing', [], 'add at least one resource pool');
  const seen = new Set<string>();
  resources.forEach((r, i) => {
    const f = `resources[${i}]`;
    if (!/^[A-Za-z0-9_]+$/.test(r.resourceName)) sink.error(`${f}.resourceName`, 'may hold only letters, digits and "_"', r.resourceName, 'write a name such as "intel_sriov_netdevice"');
    if (r.resourcePrefix !== undefined && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(r.resourcePrefix)) {
      sink.error(`${f}.resourcePrefix`, 'is not a DNS domain', r.resourcePrefix, 'write a vendor domain such as "intel.com"');
    }
    const full = `${r.resourcePrefix ?? SRIOV_DEFAULT_RESOURCE_PREFIX}/${r.resourceName}`;
    if (seen.has(full)) sink.error(`${f}.resourceName`, 'is defined twice', full, 'give each resource pool its own name');
    seen.add(full);
    const type = r.deviceType ?? SriovDeviceType.NET_DEVICE;
    let any = false;
    for (const [key, types] of SELECTOR_KEYS) {
      const v = r.selectors[key];
      if (v === undefined) continue;
      any = true;
      if (!types.includes(type)) sink.error(`${f}.selectors.${key}`, `is not read for deviceType ${type}`, v, `remove it, or use a deviceType among ${types.join(', ')}`);
      if (Array.isArray(v) && v.length === 0) sink.error(`${f}.selectors.${key}`, 'is empty', v, 'remove it or list some values');
    }
    if (!any) sink.error(`${f}.selectors`, 'is empty: the pool would take every device', r.selectors, 'select by vendors, devices, drivers, pfNames or pciAddresses');
    for (const key of ['vendors', 'devices'] as const) {
      for (const id of r.selectors[key] ?? []) {
        if (!/^[0-9a-fA-F]{4}$/.test(id)) sink.error(`${f}.selectors.${key}`, 'has an ID that is not 4 hex digits', id, 'write PCI IDs such as "8086"');
      }
    }
    for (const a of r.selectors.pciAddresses ?? []) {
      if (!/^[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$/.test(a)) sink.error(`${f}.selectors.pciAddresses`, 'has an invalid PCI address', a, 'write domain:bus:device.function, e.g. "0000:03:02.0"');
    }
  });
}

/** The `config.json` object of a resource list (keys in a fixed order). */
export function renderSriovConfig(resources: readonly SriovResource[]): Record<string, unknown> {
  return {
    resourceList: resources.map((r) => {
      const selectors: Record<string, unknown> = {};
      for (const [key] of SELECTOR_KEYS) {
        const v = r.selectors[key];
        if (v !== undefined) selectors[key] = Array.isArray(v) ? [...v] : v;
      }
      const out: Record<string, unknown> = { resourceName: r.resourceName };
      if (r.resourcePrefix !== undefined) out.resourcePrefix = r.resourcePrefix;
      if (r.deviceType !== undefined) out.deviceType = r.deviceType;
      if (r.excludeTopology !== undefined) out.excludeTopology = r.excludeTopology;
      out.selectors = selectors;
      if (r.additionalInfo !== undefined) out.additionalInfo = r.additionalInfo;
      return out;
    }),
  };
}

/** Properties of {@link SriovNetworkDevicePlugin}. */
export interface SriovNetworkDevicePluginProps {
  /** @default SRIOV_SAMPLE_RESOURCES (the upstream sample: replace it with your NICs) */
  readonly resources?: SriovResource[];
  /** @default 'kube-system' */
  readonly namespace?: string;
  /** @default SRIOV_DEVICE_PLUGIN_IMAGE (v3.11.0) */
  readonly image?: ContainerImage;
  /** `--log-level`. @default 10 (upstream) */
  readonly logLevel?: number;
  /** Target SR-IOV capable nodes. @default { 'kubernetes.io/os': 'linux' } */
  readonly nodeSelector?: Record<string, string>;
  /** @default [] (upstream has none) */
  readonly tolerations?: k8s.Toleration[];
  /** @default PriorityClass.NONE (upstream sets none) */
  readonly priorityClass?: PriorityClass;
  /** @default requests 250m/40Mi, limits 1/200Mi (upstream) */
  readonly resourceRequirements?: NodeAgentResources;
}

/** The shape of {@link SriovNetworkDevicePluginProps} (runtime checks for callers without a type checker). */
const SRIOV_NETWORK_DEVICE_PLUGIN_PROPS_SHAPE = propsShape('SriovNetworkDevicePluginProps', {
  resources: pArray(OBJECT_PROP),
  namespace: STRING_PROP,
  image: IMAGE_PROP,
  logLevel: pInt({ min: 0, max: 10 }),
  nodeSelector: STRING_MAP_PROP,
  tolerations: TOLERATIONS_PROP,
  priorityClass: PRIORITY_CLASS_PROP,
  resourceRequirements: OBJECT_PROP,
});

/** The SR-IOV network device plugin: see the module header. */
export class SriovNetworkDevicePlugin extends Construct implements ICniPluginProvider {
  public readonly resources: readonly SriovResource[];
  /** Installs no CNI binary (sriov-cni does: {@link SriovCni}). */
  public readonly providedCniTypes: readonly string[] = [];
  public readonly namespace: string;
  public readonly identity: NodeAgentIdentity;
  public readonly configMap: k8s.KubeConfigMap;
  public readonly daemonSet: NodeAgentDaemonSet;

  constructor(scope: Construct, id: string, props: SriovNetworkDevicePluginProps = {}) {
    super(scope, id);
    assertProps(SRIOV_NETWORK_DEVICE_PLUGIN_PROPS_SHAPE, props, `SriovNetworkDevicePlugin ${this.node.path}`);
    this.resources = [...(props.resources ?? SRIOV_SAMPLE_RESOURCES)];
    this.namespace = props.namespace ?? KUBE_SYSTEM;
    const logLevel = props.logLevel ?? 10;
    const sink = new ProblemSink();
    checkSriovResources(sink, this.resources);
    if (!Number.isInteger(logLevel) || logLevel < 0) sink.error('logLevel', 'is not a non-negative integer', logLevel, 'use a glog verbosity such as 10');
    throwIfErrors(sink.problems, `SriovNetworkDevicePlugin ${this.node.path}`);

    this.identity = new NodeAgentIdentity(this, 'Identity', { name: 'sriov-device-plugin', namespace: this.namespace });
    this.configMap = new k8s.KubeConfigMap(this, 'ConfigMap', {
      metadata: { name: 'sriovdp-config', namespace: this.namespace },
      data: { 'config.json': `${JSON.stringify(renderSriovConfig(this.resources), undefined, 2)}\n` },
    });
    this.daemonSet = new NodeAgentDaemonSet(this, 'DaemonSet', {
      name: 'kube-sriov-device-plugin',
      namespace: this.namespace,
      selectorLabels: { name: 'sriov-device-plugin' },
      labels: { tier: 'node', app: 'sriovdp' },
      hostNetwork: true,
      tolerations: props.tolerations ?? [],
      priorityClass: props.priorityClass ?? PriorityClass.NONE,
      nodeSelector: props.nodeSelector,
      serviceAccountName: this.identity.serviceAccountName,
      updateStrategy: UpdateStrategy.UNSET,
    });
    const ds = this.daemonSet;
    ds.addHostPathVolume('devicesock', '/var/lib/kubelet/device-plugins')
      .addHostPathVolume('plugins-registry', '/var/lib/kubelet/plugins_registry')
      .addHostPathVolume('log', '/var/log')
      .addHostPathVolume('device-info', '/var/run/k8s.cni.cncf.io/devinfo/dp', HostPathType.DIRECTORY_OR_CREATE)
      .addConfigMapVolume('config-volume', 'sriovdp-config', { items: [{ key: 'config.json', path: 'config.json' }] });
    ds.addContainer({
      name: 'kube-sriovdp',
      image: props.image ?? SRIOV_DEVICE_PLUGIN_IMAGE,
      args: ['--log-dir=sriovdp', `--log-level=${logLevel}`],
      security: NodeAgentSecurity.privileged(),
      resources: props.resourceRequirements ?? { requests: { cpu: '250m', memory: '40Mi' }, limits: { cpu: '1', memory: '200Mi' } },
      mounts: [
        { volume: 'devicesock', mountPath: '/var/lib/kubelet/device-plugins', readOnly: false },
        { volume: 'plugins-registry', mountPath: '/var/lib/kubelet/plugins_registry', readOnly: false },
        { volume: 'log', mountPath: '/var/log' },
        { volume: 'config-volume', mountPath: '/etc/pcidp' },
        { volume: 'device-info', mountPath: '/var/run/k8s.cni.cncf.io/devinfo/dp' },
      ],
    });
  }

  /** The extended resource names pods and NADs use, e.g. `intel.com/intel_sriov_netdevice`. */
  public get resourceNames(): string[] {
    return this.resources.map((r) => `${r.resourcePrefix ?? SRIOV_DEFAULT_RESOURCE_PREFIX}/${r.resourceName}`);
  }
}

/** Properties of {@link SriovCni}. */
export interface SriovCniProps {
  /** @default 'kube-system' */
  readonly namespace?: string;
  /** @default SRIOV_CNI_IMAGE (v2.10.0) */
  readonly image?: ContainerImage;
  /** Host directory of CNI binaries. @default '/opt/cni/bin' */
  readonly cniBinDir?: string;
  /** @default tolerate the master and control-plane NoSchedule taints (upstream) */
  readonly tolerations?: k8s.Toleration[];
  /** @default { 'kubernetes.io/os': 'linux' } */
  readonly nodeSelector?: Record<string, string>;
  /** @default PriorityClass.NONE (upstream sets none) */
  readonly priorityClass?: PriorityClass;
}

/** The shape of {@link SriovCniProps} (runtime checks for callers without a type checker). */
const SRIOV_CNI_PROPS_SHAPE = propsShape('SriovCniProps', {
  namespace: STRING_PROP,
  image: IMAGE_PROP,
  cniBinDir: STRING_PROP,
  tolerations: TOLERATIONS_PROP,
  nodeSelector: STRING_MAP_PROP,
  priorityClass: PRIORITY_CLASS_PROP,
});

/** The sriov-cni installer: copies the `sriov` CNI binary to every node. */
export class SriovCni extends Construct implements ICniPluginProvider {
  public readonly providedCniTypes: readonly string[] = ['sriov'];
  public readonly daemonSet: NodeAgentDaemonSet;

  constructor(scope: Construct, id: string, props: SriovCniProps = {}) {
    super(scope, id);
    assertProps(SRIOV_CNI_PROPS_SHAPE, props, `SriovCni ${this.node.path}`);
    this.daemonSet = new NodeAgentDaemonSet(this, 'DaemonSet', {
      name: 'kube-sriov-cni-ds',
      namespace: props.namespace ?? KUBE_SYSTEM,
      selectorLabels: { name: 'sriov-cni' },
      labels: { tier: 'node', app: 'sriov-cni' },
      hostNetwork: false,
      tolerations: props.tolerations ?? [
        Toleration.exists({ key: 'node-role.kubernetes.io/master', effect: TaintEffect.NO_SCHEDULE }),
        Toleration.exists({ key: 'node-role.kubernetes.io/control-plane', effect: TaintEffect.NO_SCHEDULE }),
      ],
      priorityClass: props.priorityClass ?? PriorityClass.NONE,
      nodeSelector: props.nodeSelector,
      updateStrategy: UpdateStrategy.UNSET,
      cniBinDir: props.cniBinDir,
      cniBinVolumeName: 'cnibin',
    });
    this.daemonSet.addContainer({
      name: 'kube-sriov-cni',
      image: props.image ?? SRIOV_CNI_IMAGE,
      security: NodeAgentSecurity.restricted(),
      resources: { requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: '100m', memory: '50Mi' } },
      mounts: [{ volume: this.daemonSet.cniBinVolume, mountPath: '/host/opt/cni/bin' }],
    });
  }
}
