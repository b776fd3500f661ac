import { FieldType, int } from '../field';
import { ProblemSink } from '../problem';

/**
 * Checks shared by the interface plugins of containernetworking/plugins (bridge, ipvlan, vlan,
 * host-device, ptp, tap). Internal: not exported from the package index.
 */

/** The MTU the library accepts: the kernel's IPv4 minimum up to the netlink maximum. */
export function mtuField(): FieldType {
  return int({ min: 68, max: 65535 });
}

/** Above this MTU, few NICs and switches follow: probably a typo. */
export const JUMBO_MTU = 9216;

/** Warns when an MTU is above the usual jumbo frame size. */
export function warnJumboMtu(sink: ProblemSink, mtu: number | undefined): void {
  if (mtu !== undefined && mtu > JUMBO_MTU) {
    sink.warn('mtu', `is above ${JUMBO_MTU}, more than most NICs and switches carry`, mtu,
      `use at most ${JUMBO_MTU} unless every hop is known to carry it`);
  }
}

/** Fails when an MTU exceeds the uplink's MTU (given only for this check). */
export function checkUplinkMtu(sink: ProblemSink, mtu: number | undefined, uplinkMtu: number | undefined): void {
  if (uplinkMtu !== undefined && mtu !== undefined && mtu > uplinkMtu) {
    sink.error('mtu', `exceeds the uplink MTU ${uplinkMtu}`, mtu, `use an MTU of at most ${uplinkMtu}, or raise the uplink's MTU`);
  }
}

/** A string matching a pattern, with a message of its own. */
export function patternField(pattern: RegExp, description: string, fix: string): FieldType {
  return {
    description,
    check(value, field, sink, phase) {
      if (phase.kind !== 'shape') return;
      if (typeof value !== 'string' || !pattern.test(value)) sink.error(field, `must be ${description}`, value, fix);
    },
    toJson: (v) => v,
    fromJson: (j) => j,
  };
}

/**
 * How many interfaces the result of a containernetworking/plugins interface plugin lists, for the
 * chained-ipvlan rule (a chained ipvlan without `master` needs exactly one).
 */
const RESULT_INTERFACES: Record<string, number> = {
  'bridge': 3,
  'ptp': 2,
  'macvlan': 1,
  'ipvlan': 1,
  'vlan': 1,
  'host-device': 1,
  'dummy': 1,
  'tap': 1,
};

/** The number of interfaces in the result of a plugin type, when known. */
export function resultInterfaceCount(type: string): number | undefined {
  return RESULT_INTERFACES[type];
}
