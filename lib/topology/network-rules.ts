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
