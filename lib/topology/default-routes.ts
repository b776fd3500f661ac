import { Cidr, IpAddress, IpFamily } from '../addressing/ip';
import { Route } from '../cni/common';
import { Problem, Severity, joinField } from '../cni/problem';
import { NetworkSelectionElement } from '../multus/selection-element';

/**
 * One rule for the default routes a pod's additional networks give it, whichever way they come:
 * a `default-route` request in the selection element, or a `0.0.0.0/0` (`::/0`) route in a
 * network's IPAM. At most one source per address family. What happens otherwise, as the real
 * Multus 4.3.0 with plugins 1.10.0 and Debian's 1.1.1 do it (test/rulebook/multus-evidence.test.ts):
 *
 * - two `default-route` gateways of one family: Multus refuses the pod ("multus does not support
 *   ECMP for default-route");
 * - two IPAM default routes of one family: the plugins add both (route add without NLM_F_EXCL);
 *   IPv4 then sends through the last attached, IPv6 spreads flows over all of them (ECMP);
 * - a `default-route` request next to an IPAM default route of its family (on any interface):
 *   Multus 4.3.0 no longer removes the existing default routes (`DeleteDefaultGW` looks for a nil
 *   destination, netlink 1.3 reports 0.0.0.0/0) and ignores EEXIST when it adds the requested one,
 *   so the request has no effect;
 * - `default-route: []` names no gateway and changes nothing in Multus 4.3.0 (its removal matches
 *   no route; before netlink 1.3 it removed every default route of the pod, eth0's too): whatever
 *   was meant by it, it is not what happens.
 */

/** Families whose default route an IPAM hands out, as bits: 1 = IPv4, 2 = IPv6. */
export function ipamDefaultRouteFamilies(routes: readonly Route[] | undefined): number {
  let bits = 0;
  for (const r of routes ?? []) {
    const c = typeof r?.dst === 'string' ? Cidr.tryParse(r.dst) : undefined;
    if (c && c.prefix === 0) bits |= c.family === IpFamily.IPV4 ? 1 : 2;
  }
  return bits;
}

/** The sources of default routes of one pod, by family, as attachment indices. */
export interface DefaultRouteSources {
  /** Attachments whose `default-route` names a gateway of the family. */
  readonly requests: [number[], number[]];
  /** Attachments whose network's IPAM hands out a default route of the family. */
  readonly ipam: [number[], number[]];
}

export function newDefaultRouteSources(): DefaultRouteSources {
  return { requests: [[], []], ipam: [[], []] };
}

const FAMILY = ['IPv4', 'IPv6'] as const;
const ANY = ['0.0.0.0/0', '::/0'] as const;

/** Records the `default-route` gateways of attachment `i`. */
export function recordDefaultRouteRequest(s: DefaultRouteSources, el: NetworkSelectionElement, i: number): void {
  const dr = el['default-route'];
  if (Array.isArray(dr)) {
    for (const g of dr) {
      const ip = typeof g === 'string' ? IpAddress.tryParse(g) : undefined;
      if (!ip) continue;
      const f = ip.family === IpFamily.IPV4 ? 0 : 1;
      // one count per gateway: Multus counts gateways, not attachments
      s.requests[f].push(i);
    }
  }
}

/** Records the IPAM default routes of attachment `i`'s network (`families`, from {@link ipamDefaultRouteFamilies}). */
export function recordIpamDefaultRoutes(s: DefaultRouteSources, i: number, ipamFamilies: number): void {
  if (ipamFamilies & 1) s.ipam[0].push(i);
  if (ipamFamilies & 2) s.ipam[1].push(i);
}

/** The problem of an empty `default-route` of attachment `i`, or undefined. */
export function emptyDefaultRouteProblem(el: NetworkSelectionElement, i: number): Problem | undefined {
  const dr = el['default-route'];
  if (!Array.isArray(dr) || dr.length > 0) return undefined;
  return {
    field: joinField(`attachments[${i}]`, 'default-route'),
    message: 'is empty, so it names no gateway: the default route does not move to this interface (Multus 4.3.0 changes nothing, older Multus removed every default route of the pod)',
    value: dr,
    fix: 'name the gateway, e.g. ["10.1.0.1"] (a network with a gateway), or leave default-route out',
    severity: Severity.ERROR,
  };
}

/**
 * The problems of one pod's default-route sources. `names[i]` is the NAD name of attachment `i`;
 * `gatewaysOf(i)` the gateways its network declares (an own IPAM route through the requested
 * gateway is no conflict).
 */
export function defaultRouteProblems(s: DefaultRouteSources, names: (i: number) => string, requested: (i: number) => readonly string[],
  ownGateway: (i: number, gw: string) => boolean): Problem[] {
  const out: Problem[] = [];
  for (const f of [0, 1] as const) {
    const req = s.requests[f];
    const ipam = s.ipam[f];
    if (req.length > 1) {
      out.push({
        field: 'attachments', message: `give the pod ${req.length} default routes`, value: req.map(names),
        fix: 'let exactly one attachment own the default route (Multus rejects ECMP default routes)', severity: Severity.ERROR,
      });
      continue;
    }
    if (req.length === 1) {
      const i = req[0];
      const others = ipam.filter((k) => k !== i || !requested(i).every((g) => ownGateway(i, g)));
      if (others.length > 0) {
        out.push({
          field: joinField(`attachments[${i}]`, 'default-route'),
          message: `has no effect: the IPAM of ${[...new Set(others.map(names))].join(', ')} already gives the pod an ${FAMILY[f]} default route, and Multus adds a requested one only where none of its family exists`,
          value: requested(i),
          fix: `remove the ${ANY[f]} route from that IPAM, or this request`,
          severity: Severity.ERROR,
        });
      }
      continue;
    }
    if (ipam.length > 1) {
      out.push({
        field: 'attachments', message: `give the pod ${ipam.length} ${FAMILY[f]} default routes through the IPAM routes of their networks`, value: ipam.map(names),
        fix: `keep the ${ANY[f]} route in one network's IPAM only (the plugins add every one: IPv4 then sends through the last attached, IPv6 spreads flows over all of them)`,
        severity: Severity.ERROR,
      });
    }
  }
  return out;
}
