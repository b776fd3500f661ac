import { Cidr, IpAddress } from '../addressing/ip';
import { FieldDef, arrayOf, cidr, field, int, ip, objectOf, str } from './field';

/** A route in a CNI result or IPAM configuration. */
export interface Route {
  /** Destination prefix, e.g. `0.0.0.0/0` (a bare address is rejected by the plugins). */
  readonly dst: string;
  /**
   * Next hop.
   * @default - the gateway of the same family from the IP configuration
   */
  readonly gw?: string;
  /**
   * Route MTU (containernetworking/plugins 1.6.0 and later; note that no plugin applies it yet).
   * @default - none
   */
  readonly mtu?: number;
  /** @default - none (1.6.0 and later) */
  readonly advmss?: number;
  /** Route metric. @default - kernel default (1.6.0 and later) */
  readonly priority?: number;
  /** Routing table. @default - main (1.6.0 and later) */
  readonly table?: number;
  /** Route scope. @default - universe (1.6.0 and later) */
  readonly scope?: number;
}

const ROUTE_FIELDS: Record<string, FieldDef> = {
  dst: field('dst', cidr(), { required: 'write the destination as a prefix such as 0.0.0.0/0' }),
  gw: field('gw', ip()),
  mtu: field('mtu', int({ min: 68, max: 65535 }), { since: '1.6.0' }),
  advmss: field('advmss', int({ min: 0 }), { since: '1.6.0' }),
  priority: field('priority', int({ min: 0 }), { since: '1.6.0' }),
  table: field('table', int({ min: 0 }), { since: '1.6.0' }),
  scope: field('scope', int({ min: 0, max: 255 }), { since: '1.6.0' }),
};

/** The field type of one route. */
export const ROUTE = objectOf(ROUTE_FIELDS, {
  description: 'a route {dst, gw}',
  check(value: Route, sink) {
    const dst = typeof value.dst === 'string' ? Cidr.tryParse(value.dst) : undefined;
    const gw = typeof value.gw === 'string' ? IpAddress.tryParse(value.gw) : undefined;
    if (dst && gw && dst.family !== gw.family) {
      sink.error('gw', `is not of the family of 'dst' ${value.dst}`, value.gw, 'use a gateway of the same address family as the destination');
    }
  },
});

/** The field type of a route list. */
export const ROUTES = arrayOf(ROUTE);

/** DNS settings returned in a CNI result. */
export interface Dns {
  /** Name servers, in priority order. @default - none */
  readonly nameservers?: string[];
  /** Local domain. @default - none */
  readonly domain?: string;
  /** Search domains. @default - none */
  readonly search?: string[];
  /** Resolver options. @default - none */
  readonly options?: string[];
}

/** The field type of a DNS block. */
export const DNS = objectOf({
  nameservers: field('nameservers', arrayOf(ip())),
  domain: field('domain', str()),
  search: field('search', arrayOf(str())),
  options: field('options', arrayOf(str())),
}, { description: 'a DNS object {nameservers, domain, search, options}' });

/**
 * Per-pod values Multus passes to the plugins through libcni. A plugin receives one only when it
 * declares the capability; otherwise libcni drops it without a word.
 *
 * (Named `CniCapability` so that it does not clash with cdk8s-plus's `Capability`, the Linux
 * capabilities of a container.)
 */
export enum CniCapability {
  /** Static IPs requested by the pod (`ips` in the selection element). */
  IPS = 'ips',
  /** A MAC requested by the pod. */
  MAC = 'mac',
  /** Host port mappings. */
  PORT_MAPPINGS = 'portMappings',
  /** Traffic shaping. */
  BANDWIDTH = 'bandwidth',
  /** An InfiniBand GUID (read by ib-sriov-cni only). */
  INFINIBAND_GUID = 'infinibandGUID',
  /** A device ID from a device plugin (read by host-device). */
  DEVICE_ID = 'deviceID',
  /** Extra host-local ranges. */
  IP_RANGES = 'ipRanges',
}

/**
 * The CNI capabilities under their former name.
 * @deprecated use {@link CniCapability}; `Capability` clashes with cdk8s-plus's Linux `Capability`
 */
export const Capability = CniCapability;
/** @deprecated use {@link CniCapability} */
export type Capability = CniCapability;

export const ALL_CAPABILITIES: readonly CniCapability[] = Object.values(CniCapability);

/** The two on-disk shapes of a CNI configuration. */
export enum ConfigFormat {
  /** A plugin list (`.conflist`): `{name, cniVersion, plugins: [...]}`. */
  LIST = 'list',
  /** A single plugin (`.conf`): the plugin object with `name` and `cniVersion`. */
  SINGLE = 'single',
}

/** The name rule of CNI networks (libcni `ValidateNetworkName`). */
export const NETWORK_NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** A plain JSON object. */
export type JsonObject = { [key: string]: unknown };
