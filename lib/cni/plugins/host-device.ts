import { CniCapability } from '../common';
import { field, ifname, mac } from '../field';
import { CniPlugin, InterfacePluginProps, IpamUse, PluginRole, PluginSpec } from '../plugin';
import { ProblemSink } from '../problem';
import { PluginProject } from '../profile';
import { registerPlugin } from '../registry';
import { patternField } from './interface-checks';

/** Properties of a {@link HostDevicePlugin}. Name the device one way, or let a device plugin pick it. */
export interface HostDeviceProps extends InterfacePluginProps {
  /**
   * The host interface to move into the pod (renamed to the pod's interface name meanwhile).
   * @default - none
   */
  readonly device?: string;
  /**
   * The MAC of the host interface to move.
   * @default - none
   */
  readonly hwaddr?: string;
  /**
   * The sysfs path of the device, under /sys/devices/.
   * @default - none
   */
  readonly kernelpath?: string;
  /**
   * The PCI address of the device, e.g. `0000:03:00.1` (bound to vfio-pci and the like, the device
   * is handed over in DPDK mode: not moved, no addresses).
   * @default - none
   */
  readonly pciBusID?: string;
}

/** The selectors, in the order host-device tries them. */
const SELECTORS = ['device', 'hwaddr', 'kernelpath', 'pciBusID'] as const;

/**
 * The host-device plugin: moves an existing host interface into the pod (`plugins/main/host-device`).
 * Name it with one of `device`, `hwaddr`, `kernelpath`, `pciBusID`, or declare
 * `CniCapability.DEVICE_ID` and let a device plugin pick it per pod. The plugin's `DPDKMode` key is
 * never written: host-device decides it from the driver.
 */
export class HostDevicePlugin extends CniPlugin {
  public static readonly SPEC: PluginSpec = {
    type: 'host-device',
    project: PluginProject.CNI_PLUGINS,
    role: PluginRole.INTERFACE,
    ipam: IpamUse.OPTIONAL,
    dns: true,
    consumes: [CniCapability.DEVICE_ID],
    fields: {
      device: field('device', ifname()),
      hwaddr: field('hwaddr', mac()),
      kernelpath: field('kernelpath', patternField(/^\/sys\/devices\/./, 'an absolute path under /sys/devices/',
        'write the sysfs path of the device, e.g. /sys/devices/pci0000:00/0000:00:03.0/net')),
      pciBusID: field('pciBusID', patternField(/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/, 'a PCI address such as 0000:03:00.1',
        'write domain:bus:device.function in lowercase hex (^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]$)')),
    },
    create: (props: HostDeviceProps, sink?: ProblemSink) => new HostDevicePlugin(props, sink),
  };

  constructor(props?: HostDeviceProps);
  /** @internal */
  constructor(props: HostDeviceProps | undefined, sink: ProblemSink | undefined);
  constructor(props: HostDeviceProps = {}, sink?: ProblemSink) {
    super(HostDevicePlugin.SPEC, props, sink);
  }

  /** The selector host-device uses (the first set, in its order), or undefined for a device-plugin pick. */
  public get selector(): { key: string; value: string } | undefined {
    const key = SELECTORS.find((k) => this.values[k] !== undefined);
    return key ? { key, value: this.values[key] as string } : undefined;
  }

  protected checkShape(sink: ProblemSink): void {
    const set = SELECTORS.filter((k) => this.values[k] !== undefined);
    // no selector at all: the device comes from the NAD's resourceName (Multus writes the allocated
    // device's ID into the config); deviceSourceProblems (lib/topology/network-rules.ts) checks that
    // on the NAD, for constructs and lint alike
    const fromDevicePlugin = this.capabilities.includes(CniCapability.DEVICE_ID);
    for (const ignored of set.slice(1)) {
      sink.warn(ignored, `is ignored because '${set[0]}' is set (host-device looks up device, then hwaddr, kernelpath, pciBusID)`,
        this.values[ignored], `keep only '${set[0]}'`);
    }
    if (fromDevicePlugin && set.length > 0) {
      const what = set[0] === 'pciBusID' ? 'is overridden by the deviceID the device plugin passes' : 'makes host-device ignore the deviceID the device plugin passes';
      sink.warn(set[0], what, this.values[set[0]], 'keep either the selector or the deviceID capability');
    }
  }
}

registerPlugin(HostDevicePlugin.SPEC);
