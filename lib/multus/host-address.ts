import { Cidr, IpAddress, IpFamily } from '../addressing/ip';
import { Severity } from '../cni/problem';

/**
 * Whether an interface address is a usable host address of its subnet: one rule for the addresses
 * baked into a NAD (static IPAM `addresses`) and those a pod requests (`ips` of its selection
 * element), so that synth and lint say the same about the same address.
 *
 * - IPv4 network and broadcast addresses (prefixes up to /30): the kernel treats them as such, the
 *   interface cannot use them as its own: an error.
 * - The IPv6 subnet-router anycast address (the all-zero host part, prefixes up to /126): Linux
 *   assigns it as a unicast address, but every router on the link that forwards for the prefix
 *   answers it too (RFC 4291 §2.6.1; Linux joins it on each forwarding interface): a warning.
 */
export interface HostAddressProblem {
  readonly message: string;
  readonly fix: string;
  readonly severity: Severity;
}

/** The problem of `ip` as a host address of `subnet` (which contains it), or undefined. */
export function hostAddressProblem(ip: IpAddress, subnet: Cidr): HostAddressProblem | undefined {
  const hostBits = ip.bits - subnet.prefix;
  if (hostBits < 2) return undefined;
  if (ip.family === IpFamily.IPV4) {
    if (ip.equals(subnet.network)) {
      return { message: `is the network address of ${subnet.canonical}`, fix: 'pick a host address', severity: Severity.ERROR };
    }
    if (subnet.broadcast && ip.equals(subnet.broadcast)) {
      return { message: `is the broadcast address of ${subnet.canonical}`, fix: 'pick a host address', severity: Severity.ERROR };
    }
    return undefined;
  }
  if (ip.equals(subnet.network)) {
    return { message: `is the subnet-router anycast address of ${subnet.canonical}`, fix: `pick a host address (from ${subnet.firstHost} on)`, severity: Severity.WARNING };
  }
  return undefined;
}
