import { CniCapability, JsonObject } from './cni/common';
import { ProblemSink, throwIfErrors } from './cni/problem';
import { P_PORT, PropsShape, pArray, pEither, pEnum, pInt, pJsonObject, pObject, pString, propsShape } from './cni/props-check';
import { PortMappingProtocol, SelectionBandwidth, SelectionPortMapping } from './multus/selection-element';
import { NetworkTarget } from './network-target';

/**
 * Options of one attachment: the NetworkSelectionElement fields of the NPWG spec v1.3, and where
 * the devices of a device-plugin network go (`container`, `devices`), which the pod spec carries.
 */
export interface AttachmentOptions {
  /**
   * Interface name in the pod (at most 15 characters, not eth0 or lo).
   * @default - net<N>, N the attachment's position from 1
   */
  readonly interface?: string;
  /**
   * Static addresses with prefix (single-replica workloads), e.g. ['10.3.0.10/24'].
   * @default - from the network's IPAM
   */
  readonly ips?: readonly string[];
  /**
   * Static addresses per replica (a `NetworkFunction` with `ReplicaAddressing.PER_REPLICA`):
   * entry i for replica i.
   * @default - none
   */
  readonly ipsPerReplica?: readonly (readonly string[])[];
  /** @default - chosen by the plugin */
  readonly mac?: string;
  /** MAC per replica (a `NetworkFunction` with `ReplicaAddressing.PER_REPLICA`). @default - none */
  readonly macPerReplica?: readonly string[];
  /**
   * Give the pod its default route through this attachment: `true` uses the network's gateways,
   * a list names them. At most one attachment per pod.
   * @default - no default route here
   */
  readonly defaultRoute?: boolean | readonly string[];
  /** @default - none */
  readonly portMappings?: readonly SelectionPortMapping[];
  /** @default - none */
  readonly bandwidth?: SelectionBandwidth;
  /** Passed to the delegate as `args.cni`. @default - none */
  readonly cniArgs?: JsonObject;
  /** @default - none */
  readonly infinibandGuid?: string;
  /** An IPAMClaim in the pod's namespace. @default - none */
  readonly ipamClaimReference?: string;
  /**
   * The container that receives the device of a device-plugin network (SR-IOV, OVS-DPDK, ...).
   * @default - the first container
   */
  readonly container?: string;
  /**
   * How many devices of the network's `resourceName` the container receives for this attachment
   * (request and limit), added to those of the pod's other attachments. The CNI plugin configures
   * one of them; the others are the application's, e.g. a DPDK app that drives two VFs of which
   * one is attached through SR-IOV CNI (`devices: 2`). Only on a device-plugin network.
   * @default 1 on a network with a resourceName
   */
  readonly devices?: number;
}

/** One attachment of a workload's pods, as rendered. */
export interface Attachment {
  /** The NAD referenced. */
  readonly nadName: string;
  readonly nadNamespace: string;
  /** The interface name in the pod. */
  readonly interface: string;
  readonly target: NetworkTarget;
  readonly options: AttachmentOptions;
}

/** The attachment options that need a capability of the NAD's plugin chain, with the field to blame. */
export const CAPABILITY_REQUESTS: readonly [(o: AttachmentOptions) => boolean, CniCapability, string][] = [
  [(o) => !!(o.ips || o.ipsPerReplica), CniCapability.IPS, 'ips'],
  [(o) => !!(o.mac || o.macPerReplica), CniCapability.MAC, 'mac'],
  [(o) => !!o.portMappings, CniCapability.PORT_MAPPINGS, 'portMappings'],
  [(o) => !!o.bandwidth, CniCapability.BANDWIDTH, 'bandwidth'],
  [(o) => !!o.infinibandGuid, CniCapability.INFINIBAND_GUID, 'infinibandGuid'],
];

const PORT_MAPPING_SHAPE = propsShape('SelectionPortMapping', {
  hostPort: { type: P_PORT, required: 'give the host port, 1 to 65535' },
  containerPort: { type: P_PORT, required: 'give the container port, 1 to 65535' },
  // portmap reads the protocol case-insensitively
  protocol: pEnum([...Object.values(PortMappingProtocol), ...Object.values(PortMappingProtocol).map((p) => p.toUpperCase())], 'PortMappingProtocol'),
  hostIP: pString(),
});

const RATE = pInt({ min: 0, unit: 'bits per second' });
const BURST = pInt({ min: 0, unit: 'bits' });
const BANDWIDTH_SHAPE = propsShape('SelectionBandwidth', { ingressRate: RATE, ingressBurst: BURST, egressRate: RATE, egressBurst: BURST });

/**
 * The runtime shape of {@link AttachmentOptions} (for callers without a type checker).
 * @internal
 */
export const ATTACHMENT_SHAPE: PropsShape = propsShape('AttachmentOptions', {
  interface: pString({ fix: 'write an interface name such as "net1"' }),
  ips: pArray(pString({ fix: 'write an address with its prefix, e.g. "10.1.0.5/24"' })),
  ipsPerReplica: pArray(pArray(pString({ fix: 'write an address with its prefix, e.g. "10.1.0.5/24"' }))),
  mac: pString(),
  macPerReplica: pArray(pString()),
  defaultRoute: pEither('true, false or a list of gateway addresses', 'write true (the network\'s gateways) or a list such as ["10.1.0.1"]',
    [(v) => typeof v === 'boolean', Array.isArray], [undefined, pArray(pString())]),
  portMappings: pArray(pObject(PORT_MAPPING_SHAPE)),
  bandwidth: pObject(BANDWIDTH_SHAPE),
  cniArgs: pJsonObject(),
  infinibandGuid: pString(),
  ipamClaimReference: pString(),
  container: pString(),
  devices: pInt({ min: 1 }),
}, {
  network: 'pass the network as the first argument of attach(network, options)',
  interfaceRequest: "write it as 'interface'",
  'default-route': "write it as 'defaultRoute'",
  'cni-args': "write it as 'cniArgs'",
  gateway: "use 'defaultRoute' (true, or a list of gateway addresses)",
});

/** What attaches (a PodNetworks, a NetworkFunction): it names its next attachment in errors. */
export interface AttachmentOwner {
  /** `<owner> <path> attachment <index>`, for the attachment being made. */
  _attachContext(): string;
}

/**
 * A frozen copy of checked attachment options, lists and nested objects included, with only the
 * keys that are set: what an attachment keeps, so that changing the caller's object (or its
 * `ips`) after attach changes nothing.
 * @param owner names the attachment in a JSON error (asked only then)
 */
export function copyOptions(o: AttachmentOptions, owner: AttachmentOwner): AttachmentOptions {
  const c: { -readonly [K in keyof AttachmentOptions]: AttachmentOptions[K] } = {};
  if (o.interface !== undefined) c.interface = o.interface;
  if (o.ips !== undefined) c.ips = Object.freeze(o.ips.slice());
  if (o.ipsPerReplica !== undefined) c.ipsPerReplica = Object.freeze(o.ipsPerReplica.map((l) => Object.freeze(l.slice())));
  if (o.mac !== undefined) c.mac = o.mac;
  if (o.macPerReplica !== undefined) c.macPerReplica = Object.freeze(o.macPerReplica.slice());
  if (o.defaultRoute !== undefined) c.defaultRoute = Array.isArray(o.defaultRoute) ? Object.freeze(o.defaultRoute.slice()) : o.defaultRoute;
  if (o.portMappings !== undefined) c.portMappings = Object.freeze(o.portMappings.map((m) => Object.freeze({ ...m })));
  if (o.bandwidth !== undefined) c.bandwidth = Object.freeze({ ...o.bandwidth });
  if (o.cniArgs !== undefined) c.cniArgs = copyJson(o.cniArgs, 'cniArgs', owner) as JsonObject;
  if (o.infinibandGuid !== undefined) c.infinibandGuid = o.infinibandGuid;
  if (o.ipamClaimReference !== undefined) c.ipamClaimReference = o.ipamClaimReference;
  if (o.container !== undefined) c.container = o.container;
  if (o.devices !== undefined) c.devices = o.devices;
  return Object.freeze(c);
}

/** A deep copy of JSON data; anything else (a function, a class instance, a cycle) is refused. */
function copyJson(value: unknown, field: string, owner: AttachmentOwner): unknown {
  try {
    return JSON.parse(JSON.stringify(value, (_k, v) => {
      if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint' || (typeof v === 'number' && !Number.isFinite(v))) throw new Error(field);
      return v;
    }));
  } catch {
    const sink = new ProblemSink();
    sink.error(field, 'must be JSON data (objects, lists, strings, finite numbers, booleans, null)', value, 'remove functions, NaN, Infinity and cycles');
    throwIfErrors(sink.problems, owner._attachContext());
    return {};
  }
}
