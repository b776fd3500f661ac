import { isCidrText, isIpAddressText } from '../addressing/ip';
import { isInfinibandGuid, isMac, isMulticastMac } from '../addressing/mac';
import { interfaceNameProblem } from '../cni/field';
import { JsonObject } from '../cni/common';
import { Problem, ProblemSink, throwIfErrors } from '../cni/problem';

/** The pod annotation that selects additional networks (NPWG spec section 4). */
export const NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';
/** Multus's override of the cluster default network (eth0). */
export const DEFAULT_NETWORK_ANNOTATION = 'v1.multus-cni.io/default-network';
/** The annotation on a NAD naming the device-plugin resource its pods consume. */
export const RESOURCE_NAME_ANNOTATION = 'k8s.v1.cni.cncf.io/resourceName';
/** The MultiNetworkPolicy annotation naming the networks a policy applies to. */
export const POLICY_FOR_ANNOTATION = 'k8s.v1.cni.cncf.io/policy-for';

/** A DNS-1123 label (NAD and namespace names). */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** An extended resource name (`vendor-domain/resource`), as device plugins advertise them. */
export const EXTENDED_RESOURCE_NAME = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Transport protocols of a port mapping. */
export enum PortMappingProtocol {
  TCP = 'tcp',
  UDP = 'udp',
  SCTP = 'sctp',
}

/** A host port redirected to the pod on this attachment (`portMappings`). */
export interface SelectionPortMapping {
  readonly hostPort: number;
  readonly containerPort: number;
  /** @default - tcp */
  readonly protocol?: PortMappingProtocol;
  /** @default - every host address */
  readonly hostIP?: string;
}

/** Traffic shaping of one attachment (`bandwidth`), in bits per second and bits. */
export interface SelectionBandwidth {
  readonly ingressRate?: number;
  readonly ingressBurst?: number;
  readonly egressRate?: number;
  readonly egressBurst?: number;
}

/**
 * One NetworkSelectionElement of the NPWG spec v1.3, section 4.1.2.1, with exactly its keys.
 * Property names are the wire keys.
 */
export interface NetworkSelectionElement {
  readonly name: string;
  readonly namespace?: string;
  readonly ips?: readonly string[];
  readonly mac?: string;
  readonly interface?: string;
  readonly 'default-route'?: readonly string[];
  readonly portMappings?: readonly SelectionPortMapping[];
  readonly bandwidth?: SelectionBandwidth;
  readonly 'cni-args'?: JsonObject;
  readonly 'infiniband-guid'?: string;
  readonly 'ipam-claim-reference'?: string;
}

/** The keys of a selection element, in the order they are written. */
export const SELECTION_KEYS: readonly (keyof NetworkSelectionElement)[] = [
  'name', 'namespace', 'interface', 'ips', 'mac', 'default-route', 'portMappings', 'bandwidth',
  'cni-args', 'infiniband-guid', 'ipam-claim-reference',
];

/** The same keys, for lookups (checked for every key of every element). */
const SELECTION_KEY_SET: ReadonlySet<string> = new Set(SELECTION_KEYS);

/** Writes selection elements as the JSON form of the networks annotation, keys in a fixed order. */
export function renderNetworksAnnotation(elements: readonly NetworkSelectionElement[]): string {
  if (!Array.isArray(elements)) {
    const sink = new ProblemSink();
    sink.error('elements', 'must be a list of selection elements', elements, 'pass [{ name: "<nad>", ... }]');
    throwIfErrors(sink.problems, 'renderNetworksAnnotation');
  }
  return JSON.stringify(elements.map((e) => {
    const out: JsonObject = {};
    for (const k of SELECTION_KEYS) if (e[k] !== undefined) out[k] = e[k];
    return out;
  }));
}

/** The result of parsing an annotation. */
export interface ParsedSelection {
  readonly elements: NetworkSelectionElement[];
  readonly problems: Problem[];
  /** Which form the text used. */
  readonly form: 'json' | 'short' | 'empty';
}

/**
 * Parses the networks annotation as Multus does: JSON when the text contains `[`, `{` or `"`,
 * otherwise the comma form `[ns/]name[@ifname]`. Every element is checked.
 */
export function parseNetworksAnnotation(text: string, field: string = NETWORKS_ANNOTATION): ParsedSelection {
  const sink = new ProblemSink();
  if (typeof text !== 'string') {
    sink.error(field, 'must be a string (an annotation value)', text, 'write the JSON list as text, e.g. \'[{"name":"data"}]\'');
    return { elements: [], problems: sink.problems, form: 'empty' };
  }
  if (text.trim() === '') return { elements: [], problems: [], form: 'empty' };
  if (/[[{"]/.test(text)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      sink.error(field, 'is not valid JSON', text, `fix the JSON (${(e as Error).message})`);
      return { elements: [], problems: sink.problems, form: 'json' };
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    if (!Array.isArray(parsed)) {
      sink.error(field, 'must be a JSON list of selection elements', parsed, 'wrap the object in [ ... ]');
    }
    const elements: NetworkSelectionElement[] = [];
    list.forEach((e, i) => {
      const f = `${field}[${i}]`;
      if (typeof e !== 'object' || e === null || Array.isArray(e)) {
        sink.error(f, 'must be an object', e, 'write {"name": "<nad>", ...}');
        return;
      }
      sink.addAll(selectionElementProblems(e as NetworkSelectionElement), f);
      elements.push(e as NetworkSelectionElement);
    });
    return { elements, problems: sink.problems, form: 'json' };
  }
  const elements: NetworkSelectionElement[] = [];
  text.split(',').forEach((raw, i) => {
    const item = raw.trim();
    const f = `${field}[${i}]`;
    if (item === '') {
      sink.error(f, 'is empty (a stray comma)', raw, 'remove the extra comma');
      return;
    }
    const [ref, ifname, extra] = item.split('@');
    if (extra !== undefined) {
      sink.error(f, "has more than one '@'", item, 'write [namespace/]name[@interface]');
      return;
    }
    const parts = ref.split('/');
    if (parts.length > 2) {
      sink.error(f, "has more than one '/'", item, 'write [namespace/]name[@interface]');
      return;
    }
    const el: NetworkSelectionElement = parts.length === 2
      ? { name: parts[1], namespace: parts[0], interface: ifname }
      : { name: parts[0], interface: ifname };
    sink.addAll(selectionElementProblems(el), f);
    elements.push(el);
  });
  return { elements, problems: sink.problems, form: 'short' };
}

/** Checks one selection element on its own (the topology checks the rest). */
export function selectionElementProblems(e: NetworkSelectionElement): Problem[] {
  const sink = new ProblemSink();
  const o = e as unknown as JsonObject;
  for (const key of Object.keys(o)) {
    if (!SELECTION_KEY_SET.has(key)) {
      const hint = key === 'gateway' ? "use 'default-route' (a list of gateway IPs): 'gateway' exists only in the status annotation"
        : key === 'interfaceRequest' ? "use 'interface' ('interfaceRequest' is a deprecated alias)"
          : key === 'deviceID' ? "remove it: it is a Multus-only extension; let the device plugin's resourceName supply the device"
            : `remove it; the keys of a selection element are ${SELECTION_KEYS.join(', ')}`;
      sink.error(key, 'is not a NetworkSelectionElement key, so Multus ignores it', o[key], hint);
    }
  }
  if (typeof e.name !== 'string' || e.name === '') {
    sink.error('name', 'is required', e.name, 'name the NetworkAttachmentDefinition');
  } else if (e.name.includes('/')) {
    sink.error('name', "contains '/', which Multus rejects in the JSON form", e.name, "put the namespace in the 'namespace' key");
  } else if (!DNS1123_LABEL.test(e.name) || e.name.length > 63) {
    sink.error('name', 'is not a DNS-1123 label', e.name, 'use lowercase letters, digits and "-", at most 63 characters');
  }
  if (e.namespace !== undefined && (typeof e.namespace !== 'string' || !DNS1123_LABEL.test(e.namespace) || e.namespace.length > 63)) {
    sink.error('namespace', 'is not a DNS-1123 label', e.namespace, 'use a valid namespace name');
  }
  requestProblems(e, sink);
  return sink.problems;
}

/**
 * Checks the requests of a selection element: every key but the reference (`name`, `namespace`).
 * For elements whose reference is known to be valid, e.g. built from a NAD construct, whose name
 * and namespace were checked when it was made.
 */
export function selectionRequestProblems(e: NetworkSelectionElement): Problem[] {
  const sink = new ProblemSink();
  requestProblems(e, sink);
  return sink.problems;
}

function requestProblems(e: NetworkSelectionElement, sink: ProblemSink): void {
  if (e.interface !== undefined) {
    const p = typeof e.interface === 'string' ? interfaceNameProblem(e.interface) : { message: 'must be a string', fix: 'write an interface name such as net1' };
    if (p) sink.error('interface', p.message, e.interface, p.fix);
    else if (e.interface === 'eth0' || e.interface === 'lo') {
      sink.error('interface', 'is taken by the cluster network or loopback', e.interface, 'pick another name, such as net1');
    }
  }
  if (e.ips !== undefined) {
    if (!Array.isArray(e.ips) || e.ips.length === 0) {
      sink.error('ips', 'must be a non-empty list of addresses', e.ips, 'write ["10.1.0.5/24"]');
    } else {
      const ips = e.ips;
      for (let i = 0; i < ips.length; i++) {
        if (!(isCidrText(ips[i]) || isIpAddressText(ips[i]))) {
          sink.error(`ips[${i}]`, 'is not an IP address', ips[i], 'write an address with its prefix, e.g. 10.1.0.5/24');
        }
      }
    }
  }
  if (e.mac !== undefined) {
    if (!isMac(e.mac)) sink.error('mac', 'is not a MAC address', e.mac, 'write six colon-separated hex pairs, e.g. 02:00:00:00:00:01');
    else if (isMulticastMac(e.mac)) sink.error('mac', 'is a multicast MAC address', e.mac, 'clear bit 0 of the first octet (e.g. start with 02)');
  }
  if (e['default-route'] !== undefined) {
    const dr = e['default-route'];
    if (!Array.isArray(dr)) sink.error('default-route', 'must be a list of gateway addresses', dr, 'write ["10.1.0.1"]');
    else dr.forEach((g, i) => {
      if (!isIpAddressText(g)) sink.error(`default-route[${i}]`, 'is not an IP address', g, 'write the gateway address without prefix');
    });
  }
  if (e.portMappings !== undefined) {
    if (!Array.isArray(e.portMappings)) sink.error('portMappings', 'must be a list', e.portMappings, 'write [{"hostPort": 8080, "containerPort": 80}]');
    else e.portMappings.forEach((m, i) => {
      for (const k of ['hostPort', 'containerPort'] as const) {
        const v = (m as any)?.[k];
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) {
          sink.error(`portMappings[${i}].${k}`, 'must be a port from 1 to 65535', v, 'write an integer port');
        }
      }
      const proto = (m as any)?.protocol;
      if (proto !== undefined && !['tcp', 'udp', 'sctp', 'TCP', 'UDP', 'SCTP'].includes(proto)) {
        sink.error(`portMappings[${i}].protocol`, 'is not tcp, udp or sctp', proto, 'use PortMappingProtocol');
      }
      const hostIP = (m as any)?.hostIP;
      if (hostIP !== undefined && !isIpAddressText(hostIP)) sink.error(`portMappings[${i}].hostIP`, 'is not an IP address', hostIP, 'write a host address');
    });
  }
  if (e.bandwidth !== undefined && (typeof e.bandwidth !== 'object' || e.bandwidth === null || Array.isArray(e.bandwidth))) {
    sink.error('bandwidth', 'must be a JSON object', e.bandwidth, 'write {"ingressRate": 1000000, "ingressBurst": 100000, ...}');
  } else if (e.bandwidth !== undefined) {
    const b = e.bandwidth as any;
    for (const k of ['ingressRate', 'ingressBurst', 'egressRate', 'egressBurst']) {
      if (b[k] !== undefined && (typeof b[k] !== 'number' || !Number.isInteger(b[k]) || b[k] < 0)) {
        sink.error(`bandwidth.${k}`, 'must be a non-negative integer', b[k], 'write bits per second (rates) or bits (bursts)');
      }
    }
    for (const dir of ['ingress', 'egress']) {
      if ((b[`${dir}Rate`] > 0) !== (b[`${dir}Burst`] > 0)) {
        sink.error(`bandwidth.${dir}Burst`, `must be set together with ${dir}Rate`, b, 'set both the rate and the burst, or neither');
      }
    }
  }
  if (e['infiniband-guid'] !== undefined && !isInfinibandGuid(e['infiniband-guid'])) {
    sink.error('infiniband-guid', 'is not an 8-byte GUID', e['infiniband-guid'], 'write eight colon-separated hex pairs');
  }
  if (e['ipam-claim-reference'] !== undefined) {
    if (typeof e['ipam-claim-reference'] !== 'string' || !DNS1123_LABEL.test(e['ipam-claim-reference'])) {
      sink.error('ipam-claim-reference', 'is not an IPAMClaim name', e['ipam-claim-reference'], 'name an IPAMClaim of the pod namespace');
    }
    if (e.ips !== undefined) {
      sink.error('ipam-claim-reference', "cannot be combined with 'ips' (NPWG spec v1.3)", e['ipam-claim-reference'], "use either 'ips' or an IPAM claim");
    }
  }
  if (e['cni-args'] !== undefined && (typeof e['cni-args'] !== 'object' || e['cni-args'] === null || Array.isArray(e['cni-args']))) {
    sink.error('cni-args', 'must be a JSON object', e['cni-args'], 'write {"key": "value"}');
  }
}
