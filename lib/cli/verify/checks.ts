import { Cidr, IpAddress } from '../../addressing/ip';
import { FUNCTION_LABEL, Reachability } from '../../topology/expectations';
import { segmentOfPlugin } from '../../topology/segment';
import { AttachOutcome, PingJob } from './engine';
import { Plan, PlannedAttachment } from './plan';
import { CheckKind, CheckResult, VerifyCheck } from './types';

/**
 * The checks, pure: attach rows from the engine's outcomes, the pings that the reach and
 * expectation checks need, and their evaluation once the engine has run the pings.
 */

/** An attachment's state after the attach phase. */
export type Outcomes = ReadonlyMap<PlannedAttachment, AttachOutcome>;

type Row = Omit<VerifyCheck, 'result' | 'reason'>;

/** A check waiting for its pings. */
export interface PendingCheck {
  readonly row: Row;
  readonly jobs: readonly PingJob[];
  readonly evaluate: (jobs: readonly PingJob[]) => { result: CheckResult; reason?: string };
}

/** `pod:ifname [cidr]`. */
export function endpoint(a: PlannedAttachment, cidr?: string): string {
  return `${a.pod.display}:${a.ifname}${cidr ? ` ${cidr}` : ''}`;
}

function addressOf(cidr: string): string {
  return cidr.split('/')[0];
}

function familyOf(cidr: string): number {
  return addressOf(cidr).includes(':') ? 6 : 4;
}

/** The attach row of every attachment. */
export function attachRows(plan: Plan, outcomes: Outcomes): VerifyCheck[] {
  return plan.attachments.map((a) => {
    const o = outcomes.get(a);
    const result = !o ? CheckResult.FAILED : o.result === 'ok' ? CheckResult.PASSED : o.result === 'unsupported' ? CheckResult.UNSUPPORTED : CheckResult.FAILED;
    return { check: CheckKind.ATTACH, from: endpoint(a), to: '-', network: a.networkName, result, reason: o?.result === 'ok' ? (o.ips.join(' ') || 'no address') : (o?.reason ?? 'not attached') };
  });
}

const reachEval = (js: readonly PingJob[]) => {
  const bad = js.filter((j) => !j.ok);
  return bad.length === 0 ? { result: CheckResult.PASSED } : { result: CheckResult.FAILED, reason: bad.map((j) => `no answer from ${j.address}${j.output ? ` (${j.output})` : ''}`).join('; ') };
};

/** Options of {@link planChecks}. */
export interface CheckOptions {
  /** Tries of a must-reach ping. */
  readonly attempts: number;
}

/**
 * The L2 segment an attachment's interface is on, from what its config says (not from the NAD's
 * name): one definition, on the model (lib/topology/segment.ts), shared with lint's checks.
 */
export function segmentOf(a: PlannedAttachment): string | undefined {
  return segmentOfPlugin(a.list?.plugins[0] as Record<string, unknown> | undefined);
}

/**
 * The reach checks (every pair of addresses of one family on one network, from different pods)
 * and the declared expectations: rows decided without pings, and checks waiting for pings.
 */
export function planChecks(plan: Plan, outcomes: Outcomes, options: CheckOptions): { rows: VerifyCheck[]; pending: PendingCheck[] } {
  const rows: VerifyCheck[] = [];
  const pending: PendingCheck[] = [];
  const ok = (a: PlannedAttachment) => outcomes.get(a)?.result === 'ok';
  const ipsOf = (a: PlannedAttachment) => outcomes.get(a)?.ips ?? [];
  // pairs: two addresses on one network (NAD name), or on one L2 segment under different NAD
  // names (the same bridge, or uplink and VLAN, and the same subnet: one copy per chart)
  const byNetwork = new Map<string, Array<{ a: PlannedAttachment; cidr: string }>>();
  const bySegment = new Map<string, Array<{ a: PlannedAttachment; cidr: string }>>();
  for (const a of plan.attachments) {
    if (!ok(a)) continue;
    const l2 = segmentOf(a);
    for (const cidr of ipsOf(a)) {
      const list = byNetwork.get(a.networkName) ?? [];
      list.push({ a, cidr });
      byNetwork.set(a.networkName, list);
      if (l2 === undefined) continue;
      const c = Cidr.parse(cidr);
      const key = `${l2} ${c.network.toString()}/${c.prefix}`;
      const seg = bySegment.get(key) ?? [];
      seg.push({ a, cidr });
      bySegment.set(key, seg);
    }
  }
  const groups: Array<[string | undefined, Array<{ a: PlannedAttachment; cidr: string }>]> = [
    ...[...byNetwork].map(([n, eps]) => [n, eps] as [string, typeof eps]),
    ...[...bySegment.values()].map((eps) => [undefined, eps] as [undefined, typeof eps]),
  ];
  for (const [name, eps] of groups) {
    for (let i = 0; i < eps.length; i++) {
      for (let j = i + 1; j < eps.length; j++) {
        const x = eps[i];
        const y = eps[j];
        if (x.a.pod === y.a.pod || familyOf(x.cidr) !== familyOf(y.cidr)) continue;
        // a segment group adds only the pairs of different NAD names (the others are pairs of their network)
        if (name === undefined && x.a.networkName === y.a.networkName) continue;
        const network = name ?? `${x.a.networkName}+${y.a.networkName}`;
        const row = { check: CheckKind.REACH, from: endpoint(x.a, x.cidr), to: endpoint(y.a, y.cidr), network };
        if (addressOf(x.cidr) === addressOf(y.cidr)) {
          const perNode = x.a.pod.node !== y.a.pod.node && [x.a, y.a].every((a) => a.list?.plugins.some((p) => typeof p.ipam === 'object' && p.ipam !== null && (p.ipam as { type?: unknown }).type === 'host-local'));
          rows.push({
            ...row, result: CheckResult.FAILED,
            reason: `both interfaces have the address ${addressOf(x.cidr)}; ${perNode
              ? `host-local allocates per node, so pods on nodes ${x.a.pod.node} and ${y.a.pod.node} get the same addresses: give each node its own range or use a cluster-wide IPAM (whereabouts)`
              : 'give each pod its own address'}`,
          });
          continue;
        }
        pending.push({
          row,
          jobs: [{ from: x.a.pod, to: y.a.pod, ifname: x.a.ifname, address: addressOf(y.cidr), attempts: options.attempts }],
          evaluate: (js) => {
            const r = reachEval(js);
            if (r.result === CheckResult.PASSED) return r;
            const cx = Cidr.parse(x.cidr);
            const cy = Cidr.parse(y.cidr);
            const hint = !cx.contains(IpAddress.parse(addressOf(y.cidr))) || !cy.contains(IpAddress.parse(addressOf(x.cidr)))
              ? `; ${x.cidr} and ${y.cidr} are on different subnets of network ${network}` : '';
            return { result: r.result, reason: `${r.reason}${hint}` };
          },
        });
      }
    }
  }
  for (const p of plan.pods) {
    for (const { kind, target } of p.expectations) {
      const check = kind === Reachability.REACH ? CheckKind.EXPECT_REACH : CheckKind.EXPECT_ISOLATED;
      const network = target.network ?? '*';
      const targets = plan.pods.filter((q) => q !== p && q.fn === target.function && q.namespace === target.namespace);
      if (targets.length === 0) {
        rows.push({ check, from: p.display, to: `${target.namespace}/${target.function}`, network, result: CheckResult.FAILED, reason: `no pod of function ${target.function} (label ${FUNCTION_LABEL}) in namespace ${target.namespace} among the inputs` });
        continue;
      }
      const srcOn = p.attachments.filter((a) => target.network === undefined || a.networkName === target.network);
      for (const q of targets) {
        const row = { check, from: p.display, to: q.display, network };
        const dstOn = q.attachments.filter((a) => target.network === undefined || a.networkName === target.network);
        const unsupported = [...srcOn, ...dstOn].filter((a) => outcomes.get(a)?.result === 'unsupported');
        const firstWhy = unsupported.length > 0 ? outcomes.get(unsupported[0])?.reason : undefined;
        const dsts = dstOn.filter(ok).flatMap(ipsOf);
        if (kind === Reachability.REACH) {
          const src = srcOn.find((a) => ok(a) && ipsOf(a).length > 0);
          if (unsupported.length > 0 && (!src || dsts.length === 0)) {
            rows.push({ ...row, result: CheckResult.UNSUPPORTED, reason: firstWhy });
            continue;
          }
          if (!src) {
            rows.push({ ...row, result: CheckResult.FAILED, reason: `${p.display} has no address on network ${network}` });
            continue;
          }
          const fams = new Set(ipsOf(src).map(familyOf));
          const same = dsts.filter((c) => fams.has(familyOf(c)));
          if (same.length === 0) {
            rows.push({ ...row, result: CheckResult.FAILED, reason: `${q.display} has no address of the same family on network ${network}` });
            continue;
          }
          const jobs = same.map((c) => ({ from: p, to: q, ifname: src.ifname, address: addressOf(c), attempts: options.attempts }));
          pending.push({ row: { ...row, from: endpoint(src) }, jobs, evaluate: reachEval });
        } else {
          if (dsts.length === 0) {
            if (unsupported.length > 0) rows.push({ ...row, result: CheckResult.UNSUPPORTED, reason: firstWhy });
            else rows.push({ ...row, result: CheckResult.PASSED, reason: `${q.display} has no address${target.network ? ` on network ${network}` : ''}` });
            continue;
          }
          if (!p.attachments.some(ok)) {
            rows.push(unsupported.length > 0
              ? { ...row, result: CheckResult.UNSUPPORTED, reason: firstWhy }
              : { ...row, result: CheckResult.PASSED, reason: `${p.display} has no attachment up` });
            continue;
          }
          // a single try: a must-not-reach answer is a failure at the first reply
          const jobs = dsts.map((c) => ({ from: p, to: q, address: addressOf(c), attempts: 1 }));
          pending.push({
            row, jobs,
            evaluate: (all) => {
              const answered = all.filter((j) => j.ok);
              if (answered.length > 0) return { result: CheckResult.FAILED, reason: `${q.display} answers at ${answered.map((j) => j.address).join(', ')} but must not be reachable` };
              return { result: CheckResult.PASSED, reason: unsupported.length > 0 ? `only the supported attachments were tried; ${firstWhy}` : undefined };
            },
          });
        }
      }
    }
  }
  return { rows, pending };
}
