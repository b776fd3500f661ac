import { JsonObject } from '../cni/common';
import { Problem, ProblemSink } from '../cni/problem';
import { DNS1123_LABEL } from '../multus/selection-element';
import { CNI_DRA_DEVICE_CLASS, CNI_DRA_DRIVER, cniDraParameters } from './cni-dra-driver';
import { DRANET_DRIVER, DranetInterfaceConfig } from './dranet';
import { DeviceAllocationMode, DeviceRequest, RESOURCE_API_VERSION, ResourceClaimSpec } from './resource-claim';
import { SRIOV_DRA_DEVICE_CLASS, SRIOV_DRA_DRIVER, vfConfig } from './sriov-dra-driver';

/**
 * The DRA rendering of one attachment, as plain data: what cni-dra-driver needs to give a pod the
 * interface Multus would give it from a NAD and a selection element. The delegate config is the
 * NAD's config as written, with the per-pod values of the selection element (`ips`, `mac`, ...)
 * placed as `runtimeConfig` in the plugins that declare the capability: exactly what Multus
 * (through libcni's `injectRuntimeConfig`) hands the plugins, since cni-dra-driver passes no
 * capability arguments of its own.
 */

/** The per-pod values of an attachment, by CNI capability name (`ips`, `mac`, `portMappings`, ...). */
export type CapabilityValues = { readonly [capability: string]: unknown };

/** One attachment to render. */
export interface CniDraAttachment {
  /** The request (and pod claim) name: a DNS-1123 label. */
  readonly requestName: string;
  /** The interface name in the pod. */
  readonly interface: string;
  /** The CNI configuration list as the NAD carries it (`spec.config`, parsed). */
  readonly config: JsonObject;
  /**
   * Per-pod values, injected as `runtimeConfig` where a plugin declares the capability.
   * @default - none
   */
  readonly capabilityValues?: CapabilityValues;
  /**
   * The device class of the request.
   * @default CNI_DRA_DEVICE_CLASS
   */
  readonly deviceClassName?: string;
}

/**
 * The config as the plugins receive it: each plugin that declares a capability with a value gets
 * `runtimeConfig` holding exactly those values (libcni `injectRuntimeConfig`); others unchanged.
 */
export function injectRuntimeConfig(config: JsonObject, values: CapabilityValues = {}): JsonObject {
  const keys = Object.keys(values).filter((k) => values[k] !== undefined);
  if (keys.length === 0 || !Array.isArray(config.plugins)) return config;
  const plugins = (config.plugins as unknown[]).map((p) => {
    if (typeof p !== 'object' || p === null || Array.isArray(p)) return p;
    const plugin = p as JsonObject;
    const caps = (plugin.capabilities ?? {}) as Record<string, unknown>;
    const rc: JsonObject = {};
    for (const k of keys) if (caps[k] === true) rc[k] = values[k];
    return Object.keys(rc).length > 0 ? { ...plugin, runtimeConfig: rc } : plugin;
  });
  return { ...config, plugins };
}

/** The capability values no plugin of the config declares: Multus would drop them silently. */
export function undeclaredCapabilities(config: JsonObject, values: CapabilityValues = {}): string[] {
  const plugins = Array.isArray(config.plugins) ? config.plugins as JsonObject[] : [];
  return Object.keys(values).filter((k) => values[k] !== undefined
    && !plugins.some((p) => typeof p === 'object' && p !== null && ((p.capabilities ?? {}) as Record<string, unknown>)[k] === true));
}

/** The spec of a claim (template) for one cni-dra-driver interface: one request, one config. */
export function cniDraClaimSpec(a: CniDraAttachment): ResourceClaimSpec {
  return {
    devices: {
      requests: [{
        name: a.requestName,
        exactly: { deviceClassName: a.deviceClassName ?? CNI_DRA_DEVICE_CLASS, allocationMode: DeviceAllocationMode.EXACT_COUNT, count: 1 },
      }],
      config: [{
        requests: [a.requestName],
        opaque: { driver: CNI_DRA_DRIVER, parameters: cniDraParameters(a.interface, injectRuntimeConfig(a.config, a.capabilityValues)) },
      }],
    },
  };
}

/** One SR-IOV DRA driver interface: a VF running the config of a NAD of the claim's namespace. */
export interface SriovDraAttachment {
  /** The request (and pod claim) name: a DNS-1123 label. */
  readonly requestName: string;
  /** The interface name in the pod. */
  readonly interface: string;
  /** The NAD whose config the driver runs (`VfConfig.netAttachDefName`). */
  readonly nadName: string;
  /**
   * The NAD's `resourceName`: the request selects VFs whose Multus attribute
   * `k8s.cni.cncf.io/resourceName` equals it.
   * @default - any VF of the device class
   */
  readonly resourceName?: string;
  /**
   * The device class of the request.
   * @default SRIOV_DRA_DEVICE_CLASS
   */
  readonly deviceClassName?: string;
}

/** The CEL selector of devices whose Multus attribute `k8s.cni.cncf.io/resourceName` is `resourceName`. */
export function resourceNameSelector(resourceName: string): string {
  return `device.attributes["k8s.cni.cncf.io"].resourceName == ${JSON.stringify(resourceName)}`;
}

/** One device of a class, optionally narrowed by CEL expressions. */
function oneDevice(name: string, deviceClassName: string, expressions: readonly string[]): DeviceRequest {
  return {
    name,
    exactly: {
      deviceClassName,
      ...(expressions.length > 0 ? { selectors: expressions.map((expression) => ({ cel: { expression } })) } : {}),
      allocationMode: DeviceAllocationMode.EXACT_COUNT,
      count: 1,
    },
  };
}

/** The spec of a claim (template) for one SR-IOV DRA driver interface: one VF, one `VfConfig`. */
export function sriovDraClaimSpec(a: SriovDraAttachment): ResourceClaimSpec {
  return {
    devices: {
      requests: [oneDevice(a.requestName, a.deviceClassName ?? SRIOV_DRA_DEVICE_CLASS, a.resourceName !== undefined ? [resourceNameSelector(a.resourceName)] : [])],
      config: [{ requests: [a.requestName], opaque: { driver: SRIOV_DRA_DRIVER, parameters: vfConfig({ netAttachDefName: a.nadName, ifName: a.interface }) } }],
    },
  };
}

/** One DRANET interface: a host interface moved into the pod and configured. */
export interface DranetAttachment {
  /** The request (and pod claim) name: a DNS-1123 label. */
  readonly requestName: string;
  /** The device class of the request (DRANET ships none: the cluster's, selecting `dra.net`). */
  readonly deviceClassName: string;
  /**
   * The host interface to move (selected by DRANET's `ifName` attribute).
   * @default - any device of the class
   */
  readonly hostInterface?: string;
  /** The interface as configured in the pod (its `name` is the interface name). */
  readonly interface: DranetInterfaceConfig;
}

/** The CEL selector of DRANET devices whose host interface is `ifName`. */
export function dranetInterfaceSelector(ifName: string): string {
  return `device.attributes[${JSON.stringify(DRANET_DRIVER)}].ifName == ${JSON.stringify(ifName)}`;
}

/** The spec of a claim (template) for one DRANET interface: one device, one `NetworkConfig`. */
export function dranetClaimSpec(a: DranetAttachment): ResourceClaimSpec {
  return {
    devices: {
      requests: [oneDevice(a.requestName, a.deviceClassName, a.hostInterface !== undefined ? [dranetInterfaceSelector(a.hostInterface)] : [])],
      config: [{ requests: [a.requestName], opaque: { driver: DRANET_DRIVER, parameters: { interface: { ...a.interface } } } }],
    },
  };
}

/** A ResourceClaimTemplate object for one cni-dra-driver interface. */
export function cniDraClaimTemplate(name: string, namespace: string, a: CniDraAttachment): JsonObject {
  return {
    apiVersion: RESOURCE_API_VERSION,
    kind: 'ResourceClaimTemplate',
    metadata: { name, namespace },
    spec: { spec: cniDraClaimSpec(a) },
  };
}

/** A DeviceClass selecting every device of a driver (for a class the project owns). */
export function driverDeviceClass(name: string, driver: string): JsonObject {
  return {
    apiVersion: RESOURCE_API_VERSION,
    kind: 'DeviceClass',
    metadata: { name },
    spec: { selectors: [{ cel: { expression: `device.driver == "${driver}"` } }] },
  };
}

/** The selection-element options of an attachment that DRA rendering can carry, and how. */
export interface DraAttachmentRequest {
  readonly interface: string;
  readonly ips?: readonly string[];
  readonly mac?: string;
  readonly portMappings?: readonly unknown[];
  readonly bandwidth?: unknown;
  readonly infinibandGuid?: string;
  readonly defaultRoute?: unknown;
  readonly cniArgs?: unknown;
  readonly ipamClaimReference?: string;
}

/**
 * The capability values of an attachment's selection options, and the problems of the options
 * cni-dra-driver cannot carry (Multus-only behaviour: the default-route rewrite, `args.cni`,
 * IPAMClaims).
 */
export function draCapabilityValues(o: DraAttachmentRequest, driver: string = 'cni-dra-driver'): { values: CapabilityValues; problems: Problem[] } {
  const sink = new ProblemSink();
  const values: { [k: string]: unknown } = {};
  if (o.ips !== undefined) values.ips = [...o.ips];
  if (o.mac !== undefined) values.mac = o.mac;
  if (o.portMappings !== undefined) values.portMappings = [...o.portMappings];
  if (o.bandwidth !== undefined) values.bandwidth = o.bandwidth;
  if (o.infinibandGuid !== undefined) values.infinibandGUID = o.infinibandGuid;
  if (o.defaultRoute !== undefined && o.defaultRoute !== false) {
    sink.error('defaultRoute', `cannot be rendered for ${driver} (the default-route rewrite is done by Multus)`, o.defaultRoute,
      'render this attachment as a NAD and annotation, or add the default route to the network\'s IPAM routes');
  }
  if (o.cniArgs !== undefined) {
    sink.error('cniArgs', `cannot be rendered for ${driver} (Multus writes args.cni into the delegate config)`, o.cniArgs, 'render this attachment as a NAD and annotation');
  }
  if (o.ipamClaimReference !== undefined) {
    sink.error('ipamClaimReference', `cannot be rendered for ${driver} (IPAMClaims are resolved by Multus and the IPAM plugin)`, o.ipamClaimReference,
      'render this attachment as a NAD and annotation');
  }
  if (!DNS1123_LABEL.test(podClaimNameOf(o.interface))) {
    sink.error('interface', 'gives no DNS-1123 pod claim name', o.interface, 'use a lowercase interface name such as "n3"');
  }
  return { values, problems: sink.problems };
}

/** The pod claim (and request) name of an interface: the interface name, lowercase, `_` and `.` as `-`. */
export function podClaimNameOf(ifname: string): string {
  return ifname.toLowerCase().replace(/[_.]/g, '-');
}
