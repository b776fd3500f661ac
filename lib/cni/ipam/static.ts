import { Cidr, IpAddress, IpFamily } from '../../addressing/ip';
import { CniVersion } from '../cni-version';
import { CniCapability, DNS, Dns, ROUTES, Route } from '../common';
import { CheckPhase, FieldType, arrayOf, field, ip, objectOf } from '../field';
import { AddressingMode, Ipam, IpamAddressing, IpamSpec, addressesPerFamilyProblem } from '../ipam';
import { hostAddressProblem } from '../../multus/host-address';
import { ProblemSink } from '../problem';
import { PluginProject, PluginsProfile } from '../profile';
import { registerIpam } from '../registry';
import { assertArg, assertOptionsObject, pString } from '../props-check';

/** One fixed address of a {@link StaticIpam}. */
export interface StaticAddress {
  /** The interface address with its prefix length, e.g. `10.1.0.5/24` (the prefix is required). */
  readonly address: string;
  /**
   * The gateway of this address; it must lie inside the prefix of one of the addresses.
   * @default - none (routes without `gw` then have no next hop)
   */
  readonly gateway?: string;
}

/** Properties of a {@link StaticIpam}. */
export interface StaticIpamProps {
  /**
   * The fixed addresses. Leave it empty only when the plugin declares the `ips` capability, so
   * that every pod brings its own addresses (which then replace these).
   * @default - none
   */
  readonly addresses?: readonly StaticAddress[];
  /**
   * Routes returned with the addresses.
   * @default - none
   */
  readonly routes?: readonly Route[];
  /**
   * DNS returned by the IPAM. Note that macvlan, ipvlan, vlan, host-device, tap (and bridge
   * before 1.2.0) drop it: give those plugins a top-level `dns` instead.
   * @default - none
   */
  readonly dns?: Dns;
}

/**
 * An address with its prefix length, as static and whereabouts `addresses` need it (static rejects
 * a bare address: `the 'address' field is expected to be in CIDR notation`).
 */
export function interfaceAddress(): FieldType {
  const description = 'an address with its prefix length, such as 10.1.0.5/24';
  return {
    description,
    check(value: unknown, f: string, sink: ProblemSink, phase: CheckPhase) {
      if (phase.kind !== 'shape') return;
      if (typeof value === 'string' && Cidr.tryParse(value) !== undefined) return;
      const bare = typeof value === 'string' ? IpAddress.tryParse(value) : undefined;
      sink.error(f, `must be ${description}`, value, bare
        ? `add the prefix length of the subnet, e.g. ${value}/${bare.family === IpFamily.IPV4 ? 24 : 64}`
        : 'write address/length such as 10.1.0.5/24 or 2001:db8::5/64');
    },
    toJson: (v) => v,
    fromJson: (j) => j,
  };
}

/** The field type of one `{address, gateway}` entry. */
export const STATIC_ADDRESS: FieldType = objectOf({
  address: field('address', interfaceAddress(), { required: 'write the address with its prefix length, such as 10.1.0.5/24' }),
  gateway: field('gateway', ip()),
}, { description: 'an address {address, gateway}' });

/**
 * Checks a list of `{address, gateway}` entries: no network or broadcast address, no duplicate,
 * each gateway of its address's family, inside the prefix of some address, and not an address of
 * the list itself.
 */
export function staticAddressesProblems(addresses: readonly StaticAddress[], sink: ProblemSink, field: string = 'addresses'): void {
  const parsed = addresses.map((a) => Cidr.parse(a.address));
  const seen = new Map<string, number>();
  parsed.forEach((c, i) => {
    const f = `${field}[${i}].address`;
    // one rule with the addresses pods request (lib/multus/host-address.ts)
    const host = hostAddressProblem(c.address, c);
    if (host) sink.addAll([{ field: f, message: host.message, value: addresses[i].address, fix: host.fix, severity: host.severity }]);
    const key = c.address.toString();
    const before = seen.get(key);
    if (before !== undefined) {
      sink.error(f, `repeats the address of ${field}[${before}]`, addresses[i].address, 'give each entry its own address');
    } else {
      seen.set(key, i);
    }
  });
  addresses.forEach((a, i) => {
    if (a.gateway === undefined) return;
    const f = `${field}[${i}].gateway`;
    const gw = IpAddress.parse(a.gateway);
    if (gw.family !== parsed[i].family) {
      sink.error(f, `is not of the family of its address ${a.address}`, a.gateway, `use an IPv${parsed[i].family} gateway, or move it to an address of its family`);
      return;
    }
    if (parsed.some((c) => c.address.equals(gw))) {
      sink.error(f, 'is one of the interface\'s own addresses', a.gateway, 'use the address of the router on the segment');
      return;
    }
    const inside = parsed.filter((c) => c.contains(gw));
    if (inside.length === 0) {
      const same = parsed.filter((c) => c.family === gw.family).map((c) => c.canonical.toString());
      sink.error(f, `is not inside the prefix of any address (${same.join(', ')}), so the route via it is unreachable`, a.gateway,
        'use a gateway inside the subnet of the address, or widen the address prefix');
      return;
    }
    if (inside.every((c) => c.broadcast !== undefined && c.address.bits - c.prefix >= 2 && (gw.equals(c.network) || gw.equals(c.broadcast)))) {
      sink.error(f, 'is the network or broadcast address of its subnet', a.gateway, 'use the address of the router on the segment');
    }
  });
}

/**
 * static IPAM: fixed addresses written in the config, or (with the `ips` capability) addresses each
 * pod brings, which then replace the configured ones.
 */
export class StaticIpam extends Ipam {
  public static readonly SPEC: IpamSpec = {
    type: 'static',
    project: PluginProject.CNI_PLUGINS,
    consumes: [CniCapability.IPS],
    fields: {
      addresses: field('addresses', arrayOf(STATIC_ADDRESS)),
      routes: field('routes', ROUTES),
      dns: field('dns', DNS),
    },
    create: (props: StaticIpamProps, sink?: ProblemSink) => new StaticIpam(props, sink),
  };

  /** static with one address: the common case. */
  public static address(address: string, opts: Omit<StaticAddress, 'address'> & Omit<StaticIpamProps, 'addresses'> = {}): StaticIpam {
    assertArg(pString(), address, 'address', 'StaticIpam.address', 'give the address with its prefix, e.g. "10.1.0.5/24"');
    assertOptionsObject(opts, 'opts', 'StaticIpam.address');
    const { gateway, ...rest } = opts;
    return new StaticIpam({ ...rest, addresses: [{ address, gateway }] });
  }

  constructor(props?: StaticIpamProps);
  /** @internal */
  constructor(props: StaticIpamProps | undefined, sink: ProblemSink | undefined);
  constructor(props: StaticIpamProps = {}, sink?: ProblemSink) {
    super(StaticIpam.SPEC, props, sink);
  }

  /** The fixed addresses (a copy). */
  public get addresses(): StaticAddress[] {
    return ((this.values.addresses as StaticAddress[] | undefined) ?? []).map((a) => ({ ...a }));
  }

  /** With no fixed address, the addresses come from the pods: the plugin must declare `ips`. */
  public needsAddressesFrom(): CniCapability | undefined {
    return this.addresses.length === 0 ? CniCapability.IPS : undefined;
  }

  public addressing(): IpamAddressing {
    return {
      mode: AddressingMode.STATIC,
      pools: [],
      staticAddresses: this.addresses.map((a) => ({ address: Cidr.parse(a.address), gateway: a.gateway ? IpAddress.parse(a.gateway) : undefined })),
      routes: (this.values.routes as Route[] | undefined) ?? [],
      clusterWide: false,
    };
  }

  protected checkShape(sink: ProblemSink): void {
    staticAddressesProblems(this.addresses, sink);
  }

  protected checkProfile(sink: ProblemSink, _profile: PluginsProfile, cniVersion?: CniVersion): void {
    addressesPerFamilyProblem(sink, 'addresses', this.addresses.map((a) => Cidr.parse(a.address).family), cniVersion, 'one per entry of addresses');
  }
}

registerIpam(StaticIpam.SPEC);
