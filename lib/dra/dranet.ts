import { Cidr, IpAddress } from '../addressing/ip';
import { isMac } from '../addressing/mac';
import { interfaceNameProblem } from '../cni/field';
import { Problem, ProblemSink } from '../cni/problem';

/**
 * kubernetes-sigs/dranet: moves host interfaces into pods and configures them; it runs no CNI
 * plugin. Names from kubernetes-sigs/dranet@f258477 (`cmd/dranet/app.go`, `pkg/apis/types.go`,
 * `pkg/apis/validation.go`): the parameters are a `NetworkConfig` read with a strict decoder (an
 * unknown key, `apiVersion` and `kind` included, is an error), and the driver ships no device
 * class: each user names one selecting `device.driver == "dra.net"`.
 */
export const DRANET_DRIVER = 'dra.net';

/**
 * The device class name DRANET's documentation has users create (the driver installs none): the
 * DRA rendering names it unless told otherwise, and the cluster (or the App, with
 * `DraDeviceClass.owned`) must hold it.
 */
export const DRANET_DEVICE_CLASS = 'dranet';

/** The CEL selector of a device class for DRANET's devices. */
export const DRANET_DEVICE_SELECTOR = `device.driver == "${DRANET_DRIVER}"`;

/** DRANET's `InterfaceConfig` (the fields this library writes). */
export interface DranetInterfaceConfig {
  /** The interface name in the pod. */
  readonly name?: string;
  /** Addresses in CIDR notation. */
  readonly addresses?: readonly string[];
  readonly mtu?: number;
  readonly hardwareAddr?: string;
  readonly dhcp?: boolean;
}

/** DRANET's `RouteConfig`. */
export interface DranetRouteConfig {
  readonly destination: string;
  readonly gateway?: string;
  readonly source?: string;
  /** 0 (universe, needs a gateway) or 253 (link). */
  readonly scope?: number;
  readonly table?: number;
}

/** DRANET's `NetworkConfig`: the opaque parameters. */
export interface DranetNetworkConfig {
  readonly interface: DranetInterfaceConfig;
  readonly routes?: readonly DranetRouteConfig[];
}

const TOP_KEYS = ['profile', 'interface', 'routes', 'rules', 'neighbors', 'ethtool'];
const INTERFACE_KEYS = ['name', 'addresses', 'dhcp', 'mtu', 'hardwareAddr', 'gsoMaxSize', 'groMaxSize', 'gsoIPv4MaxSize', 'groIPv4MaxSize',
  'disableEbpfPrograms', 'forwarding', 'arpIgnore', 'arpAnnounce', 'vrf'];
const ROUTE_KEYS = ['destination', 'gateway', 'source', 'scope', 'table'];
const SCOPE_UNIVERSE = 0;
const SCOPE_LINK = 253;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The problems of DRANET parameters, as its strict decoder and `ValidateConfig` see them. */
export function dranetParameterProblems(params: unknown): Problem[] {
  const sink = new ProblemSink();
  if (!isObject(params)) {
    sink.error('', 'is not an object', params, 'write { interface: { name, addresses } }');
    return sink.problems;
  }
  for (const k of Object.keys(params)) {
    if (!TOP_KEYS.includes(k)) {
      sink.error(k, 'is not a NetworkConfig field (DRANET decodes strictly and refuses the claim)', params[k],
        k === 'apiVersion' || k === 'kind' ? 'remove it: DRANET parameters carry no apiVersion or kind' : `remove it; the fields are ${TOP_KEYS.join(', ')}`);
    }
  }
  const itf = params.interface;
  if (itf !== undefined && !isObject(itf)) {
    sink.error('interface', 'is not an object', itf, 'write interface: { name, addresses }');
  } else if (isObject(itf)) {
    const s = sink.child('interface');
    for (const k of Object.keys(itf)) if (!INTERFACE_KEYS.includes(k)) s.error(k, 'is not an InterfaceConfig field', itf[k], `remove it; the fields are ${INTERFACE_KEYS.join(', ')}`);
    if (itf.name !== undefined) {
      const p = typeof itf.name === 'string' ? interfaceNameProblem(itf.name) : { message: 'is not a string', fix: 'write an interface name such as "net1"' };
      if (p) s.error('name', p.message, itf.name, p.fix);
    }
    const addresses = itf.addresses;
    if (addresses !== undefined) {
      if (!Array.isArray(addresses)) s.error('addresses', 'is not a list', addresses, 'list addresses such as ["10.1.0.5/24"]');
      else addresses.forEach((a, i) => { if (!Cidr.tryParse(String(a)) || typeof a !== 'string') s.error(`addresses[${i}]`, 'is not an address with its prefix', a, 'write e.g. 10.1.0.5/24'); });
      if (itf.dhcp === true && Array.isArray(addresses) && addresses.length > 0) s.error('dhcp', 'is set together with addresses', itf.dhcp, 'use DHCP or static addresses, not both');
    }
    if (itf.mtu !== undefined && (typeof itf.mtu !== 'number' || !Number.isInteger(itf.mtu) || itf.mtu < 68)) s.error('mtu', 'is below 68 or not a whole number', itf.mtu, 'write an MTU of 68 or more');
    if (itf.hardwareAddr !== undefined && !isMac(itf.hardwareAddr)) s.error('hardwareAddr', 'is not a MAC address', itf.hardwareAddr, 'write six colon-separated hex pairs');
  }
  const routes = params.routes;
  if (routes !== undefined) {
    if (!Array.isArray(routes)) {
      sink.error('routes', 'is not a list', routes, 'list routes such as [{ destination: "0.0.0.0/0", gateway: "10.1.0.1" }]');
    } else {
      routes.forEach((r, i) => {
        const s = sink.child(`routes[${i}]`);
        if (!isObject(r)) { s.error('', 'is not an object', r, 'write { destination, gateway }'); return; }
        for (const k of Object.keys(r)) if (!ROUTE_KEYS.includes(k)) s.error(k, 'is not a RouteConfig field', r[k], `remove it; the fields are ${ROUTE_KEYS.join(', ')}`);
        const dst = typeof r.destination === 'string' ? Cidr.tryParse(r.destination) : undefined;
        if (!dst) s.error('destination', 'is not a prefix in CIDR notation', r.destination, 'write e.g. 0.0.0.0/0 (host routes use /32 or /128)');
        const scope = r.scope ?? SCOPE_UNIVERSE;
        if (scope !== SCOPE_UNIVERSE && scope !== SCOPE_LINK) s.error('scope', 'is neither universe (0) nor link (253)', r.scope, 'write 0 or 253');
        if (r.gateway === undefined || r.gateway === '') {
          if (scope !== SCOPE_LINK) s.error('gateway', 'is required for a universe-scope route', r.gateway, 'give the gateway, or set scope 253 for an on-link route');
        } else {
          const gw = typeof r.gateway === 'string' ? IpAddress.tryParse(r.gateway) : undefined;
          if (!gw) s.error('gateway', 'is not an IP address', r.gateway, 'write an address such as 10.1.0.1');
          else if (dst && gw.family !== dst.family) s.error('gateway', 'is not of the destination address family', r.gateway, `use an IPv${dst.family} gateway`);
        }
      });
    }
  }
  return sink.problems;
}
