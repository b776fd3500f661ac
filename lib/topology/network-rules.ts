import { CniConfig } from '../cni/config';
import { Problem, Severity } from '../cni/problem';

/**
 * Rules on one NAD that need both its config and its annotations (which the config checks of
 * lib/cni cannot see): where a device-plugin network gets its device from. Multus reads the NAD's
 * `k8s.v1.cni.cncf.io/resourceName`, asks the kubelet which device of that resource the pod was
 * given and writes it into the config as `deviceID` and `pciBusID` (multus-cni v4.3.0
 * pkg/types/conf.go `delegateAddDeviceID`, `addDeviceIDInConfList`), whatever the capabilities.
 */

const HOST_DEVICE_SELECTORS = ['device', 'hwaddr', 'kernelpath', 'pciBusID'] as const;

/**
 * Whether the NAD's main plugin cannot work without the device Multus passes from the device
 * plugin: sriov and ib-sriov (the VF's PCI address), host-device without a device in its config.
 * Others that name a resource (e.g. ovs-cni's marker resource, for scheduling) work without it:
 * Multus then passes no device and goes on (multus-cni v4.3.0 `getKubernetesDelegate`).
 */
export function needsDevice(config: CniConfig | undefined): boolean {
  const main = config?.main;
  if (!main) return false;
  if (main.type === 'sriov' || main.type === 'ib-sriov') return true;
  if (main.type !== 'host-device') return false;
  const json = main.toJson();
  return !HOST_DEVICE_SELECTORS.some((k) => typeof json[k] === 'string' && json[k] !== '');
}

/** The problems of a NAD's device source: its config and its resourceName annotation. */
export function deviceSourceProblems(config: CniConfig | undefined, resourceName: string | undefined): Problem[] {
  const main = config?.main;
  if (!main || resourceName !== undefined) return [];
  if (main.type === 'sriov') {
    return [{
      field: 'resourceName', message: 'is required for an sriov network: Multus takes the VF from the device plugin', value: undefined,
      fix: 'set resourceName to the SR-IOV device plugin resource, e.g. "intel.com/sriov_netdevice"', severity: Severity.ERROR,
    }];
  }
  if (main.type === 'host-device') {
    const json = main.toJson();
    if (HOST_DEVICE_SELECTORS.some((k) => typeof json[k] === 'string' && json[k] !== '')) return [];
    const runtime = json.runtimeConfig as Record<string, unknown> | undefined;
    if (typeof runtime?.deviceID === 'string' && runtime.deviceID !== '') return [];
    return [{
      field: 'resourceName', message: `is not set and the host-device config names no device (${HOST_DEVICE_SELECTORS.join(', ')}), so host-device has no device to move into the pod`, value: undefined,
      fix: 'set resourceName to the device plugin resource (Multus then writes the allocated device into the config as pciBusID), or name the device in the config', severity: Severity.ERROR,
    }];
  }
  return [];
}

/**
 * The problem of `ips` requested on an OVN-Kubernetes secondary network, or undefined. OVN-K takes
 * the selection's `ips` from the pod annotation itself, and honours them only on a layer2 or
 * localnet network without `subnets`: where it allocates from `subnets`, a requested address is not
 * what the pod gets (docs/features/multiple-networks/multi-homing.md, "static IP addresses ... only
 * when the NAD has no subnets", ovn-org/ovn-kubernetes@6c366bb).
 */
export function ovnKubernetesIpsProblem(config: CniConfig | undefined): { message: string; fix: string } | undefined {
  const main = config?.main;
  if (!main || main.type !== 'ovn-k8s-cni-overlay') return undefined;
  const json = main.toJson();
  const subnets = json.subnets;
  const given = typeof subnets === 'string' ? subnets.trim() !== '' : Array.isArray(subnets) && subnets.length > 0;
  if (!given) return undefined;
  return {
    message: `is requested on an OVN-Kubernetes network that allocates from its subnets (${Array.isArray(subnets) ? subnets.join(',') : String(subnets)}); OVN-K honours static ips only on layer2 and localnet networks without subnets`,
    fix: "remove 'subnets' from the network to give every pod its own ips, or leave ips out and let OVN-K allocate",
  };
}
