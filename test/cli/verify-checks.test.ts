import { AttachOutcome, CheckKind, CheckResult, PlannedAttachment, attachRows, countResults, formatVerifyTable, planChecks, planRun, verdictOf } from '../../lib/cli/verify';
import { segmentOf } from '../../lib/cli/verify/checks';

/** The checks are pure: rows from attach outcomes, the pings they need, their evaluation. */

const nad = (name: string) => ({ apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace: 'lab' }, spec: { config: JSON.stringify({ cniVersion: '1.0.0', name, type: 'macvlan', master: 'eth1', ipam: { type: 'static' } }) } });
const pod = (name: string, networks: string, annotations: Record<string, string> = {}, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'lab', labels, annotations: { 'k8s.v1.cni.cncf.io/networks': networks, ...annotations } }, spec: { containers: [] },
});
const objects = (...docs: object[]) => docs.map((object, index) => ({ file: 'x.yaml', index, object }));
const ok = (...ips: string[]): AttachOutcome => ({ result: 'ok', ips, added: true });

describe('checks', () => {
  const plan = planRun(objects(nad('data'), pod('a', 'data'), pod('b', 'data'), pod('c', 'data')));
  const [a, b, c] = plan.attachments;

  test('attach rows: passed with the addresses, failed and unsupported with the reason', () => {
    const outcomes = new Map<PlannedAttachment, AttachOutcome>([[a, ok('10.0.0.1/24')], [b, { result: 'failed', reason: 'ADD macvlan: boom', ips: [], added: true }], [c, { result: 'unsupported', reason: 'no ipvlan', ips: [], added: false }]]);
    expect(attachRows(plan, outcomes).map((r) => [r.from, r.result, r.reason])).toEqual([
      ['lab/a:net1', CheckResult.PASSED, '10.0.0.1/24'], ['lab/b:net1', CheckResult.FAILED, 'ADD macvlan: boom'], ['lab/c:net1', CheckResult.UNSUPPORTED, 'no ipvlan'],
    ]);
  });

  test('a reach check per pair of one family; must-reach pings retry, and a lost first packet is not a failure', () => {
    const outcomes = new Map<PlannedAttachment, AttachOutcome>([[a, ok('10.0.0.1/24', 'fd00::1/64')], [b, ok('10.0.0.2/24')], [c, ok('10.0.0.3/24')]]);
    const { rows, pending } = planChecks(plan, outcomes, { attempts: 3 });
    expect(rows).toEqual([]);
    expect(pending.map((p) => [p.row.from, p.row.to])).toEqual([
      ['lab/a:net1 10.0.0.1/24', 'lab/b:net1 10.0.0.2/24'], ['lab/a:net1 10.0.0.1/24', 'lab/c:net1 10.0.0.3/24'], ['lab/b:net1 10.0.0.2/24', 'lab/c:net1 10.0.0.3/24'],
    ]);
    expect(pending.flatMap((p) => p.jobs.map((j) => [j.address, j.attempts]))).toEqual([['10.0.0.2', 3], ['10.0.0.3', 3], ['10.0.0.3', 3]]);
    const p = pending[0];
    p.jobs[0].ok = true;
    p.jobs[0].output = 'answered on attempt 2';
    expect(p.evaluate(p.jobs)).toEqual({ result: CheckResult.PASSED });
    p.jobs[0].ok = false;
    p.jobs[0].output = '1 packets transmitted, 0 received, 100% packet loss (3 attempts)';
    expect(p.evaluate(p.jobs)).toEqual({ result: CheckResult.FAILED, reason: 'no answer from 10.0.0.2 (1 packets transmitted, 0 received, 100% packet loss (3 attempts))' });
  });

  test('the same address twice on one network fails without a ping', () => {
    const outcomes = new Map<PlannedAttachment, AttachOutcome>([[a, ok('10.0.0.1/24')], [b, ok('10.0.0.1/24')]]);
    const { rows, pending } = planChecks(plan, outcomes, { attempts: 3 });
    expect(pending).toEqual([]);
    expect(rows).toEqual([{ check: CheckKind.REACH, from: 'lab/a:net1 10.0.0.1/24', to: 'lab/b:net1 10.0.0.1/24', network: 'data', result: CheckResult.FAILED, reason: 'both interfaces have the address 10.0.0.1; give each pod its own address' }]);
  });

  test('must-not-reach pings are tried once; an answer fails the check', () => {
    const p2 = planRun(objects(nad('data'), pod('x', 'data', { 'nfv.cdk8s.io/expect-isolated': '[{"function":"y","namespace":"lab"}]' }), pod('y', 'data', {}, { 'nfv.cdk8s.io/function': 'y' })));
    const [x, y] = p2.attachments;
    const { pending } = planChecks(p2, new Map([[x, ok('10.0.0.1/24')], [y, ok('10.0.0.2/24')]]), { attempts: 3 });
    const iso = pending.find((p) => p.row.check === CheckKind.EXPECT_ISOLATED)!;
    expect(iso.jobs.map((j) => j.attempts)).toEqual([1]);
    iso.jobs[0].ok = true;
    expect(iso.evaluate(iso.jobs)).toEqual({ result: CheckResult.FAILED, reason: 'lab/y answers at 10.0.0.2 but must not be reachable' });
  });
});

describe('L2 segments: identity from what the configs share, not from NAD names', () => {
  const nadOf = (name: string, plugin: Record<string, unknown>) => ({ apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace: 'lab' }, spec: { config: JSON.stringify({ cniVersion: '1.0.0', name, ...plugin, ipam: { type: 'static' }, capabilities: { ips: true } }) } });
  const sel = (name: string, ip: string) => JSON.stringify([{ name, ips: [ip] }]);

  test('segmentOf: bridge name (and VLAN), uplink (and VLAN) or device; nothing for other plugins', () => {
    const p = planRun(objects(
      nadOf('b1', { type: 'bridge', bridge: 'br-seg' }), nadOf('b2', { type: 'bridge', bridge: 'br-seg', vlan: 100 }), nadOf('b3', { type: 'bridge' }),
      nadOf('m', { type: 'macvlan', master: 'eth1' }), nadOf('v', { type: 'vlan', master: 'eth1', vlanId: 7 }), nadOf('h', { type: 'host-device', device: 'eth3' }), nadOf('p', { type: 'ptp' }),
      pod('x', 'b1,b2,b3,m,v,h,p')));
    expect(p.attachments.map(segmentOf)).toEqual(['bridge br-seg', 'bridge br-seg.100', 'bridge cni0', 'uplink eth1', 'uplink eth1.7', 'uplink eth3', undefined]);
  });

  test('two NADs on one bridge and subnet (one copy per chart) are pinged across; another subnet on that bridge is not', () => {
    const p = planRun(objects(
      nadOf('seg-a', { type: 'bridge', bridge: 'br-seg' }), nadOf('seg-b', { type: 'bridge', bridge: 'br-seg' }), nadOf('other', { type: 'bridge', bridge: 'br-other' }),
      pod('a', sel('seg-a', '10.94.0.1/24')), pod('b', sel('seg-b', '10.94.0.2/24')), pod('c', sel('seg-b', '10.95.0.3/24')), pod('d', sel('other', '10.94.0.4/24'))));
    const [a, b, c, d] = p.attachments;
    const { pending } = planChecks(p, new Map([[a, ok('10.94.0.1/24')], [b, ok('10.94.0.2/24')], [c, ok('10.95.0.3/24')], [d, ok('10.94.0.4/24')]]), { attempts: 3 });
    expect(pending.map((x) => [x.row.from, x.row.to, x.row.network])).toEqual([
      // seg-b's own pair (across its two subnets, as before), then the cross-NAD pair of the shared segment
      ['lab/b:net1 10.94.0.2/24', 'lab/c:net1 10.95.0.3/24', 'seg-b'],
      ['lab/a:net1 10.94.0.1/24', 'lab/b:net1 10.94.0.2/24', 'seg-a+seg-b'],
    ]);
  });
});

describe('report', () => {
  test('a run with no pass and no failure verified nothing', () => {
    const unsupported = [{ check: CheckKind.ATTACH, from: 'a', to: '-', network: 'n', result: CheckResult.UNSUPPORTED, reason: 'no ipvlan' }];
    const counts = countResults(unsupported);
    expect(counts).toEqual({ passed: 0, failed: 0, unsupported: 1 });
    expect(verdictOf(counts)).toBe('nothing-verified');
    expect(verdictOf({ passed: 0, failed: 1 })).toBe('failed');
    expect(verdictOf({ passed: 3, failed: 0 })).toBe('passed');
    const table = formatVerifyTable({ prefix: 'nfv00000000', checks: unsupported, nodes: 1, pods: 1, attachments: 1, ...counts, leftovers: [], timings: {} as never });
    expect(table.split('\n')).toEqual([
      'CHECK   FROM  TO  NETWORK  RESULT',
      'attach  a     -   n        unsupported here (no ipvlan)',
      '1 check: 0 passed, 0 failed, 1 unsupported here (1 pod, 1 attachment, 1 node)',
      'nothing was verified: no check passed (every check is unsupported here)',
      '',
    ]);
  });
});
