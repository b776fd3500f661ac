import { spawnSync } from 'child_process';
import { ManifestObject } from '../../lib/cli/manifests';
import { CheckKind, EmulatedEngine, EngineContext, VerifyEngine, verifyObjects } from '../../lib/cli/verify';
import { applyGatewayRequest, gatewayRouteArgv } from '../../lib/cli/verify/default-route';
import { ECMP_REFUSAL, ecmpRefusals, gatewayFamily } from '../../lib/cli/verify/multus';
import { dataplaneTest, printSkipSummary } from './dataplane/gate';

/**
 * `default-route` in the emulated engine, as Multus 4.3.0 does it (the evidence:
 * test/rulebook/multus-evidence.test.ts): a request is added where the pod has no default route of
 * that family yet, an existing one is never removed, two gateways of one family refuse the pod
 * (the first attachment takes the blame, the rest run), IPv6 gateways work.
 */

printSkipSummary('test/cli/verify-default-route.test.ts');

describe('the ECMP refusal (Multus CheckGatewayConfig)', () => {
  const el = (dr?: string[]) => ({ name: 'x', ...(dr ? { 'default-route': dr } : {}) });

  test('gateway families follow Go To4: IPv4-mapped IPv6 counts as IPv4; no address, no family', () => {
    expect(['10.0.0.1', 'fd00::1', '::ffff:10.0.0.1', '::1', '10.0.0.1/24', 'x', ''].map(gatewayFamily)).toEqual([4, 6, 4, 6, undefined, undefined, undefined]);
  });

  test('two IPv4 gateways: the first attachment is refused with the exact message, the second runs', () => {
    const items = [el(['10.78.0.1']), el(['10.79.0.1'])];
    const r = ecmpRefusals(items, (x) => x);
    expect([...r.keys()]).toEqual([items[0]]);
    expect(r.get(items[0])).toBe(`'default-route' asks for 2 IPv4 gateways in one pod: got ["10.78.0.1","10.79.0.1"]; Multus refuses the pod (${ECMP_REFUSAL}): ask for one default-route gateway per family`);
  });

  test('the pod is refused as a whole: the first attachments take the blame in order, with or without a request, until one gateway per family is left', () => {
    const items = [el(), el(['fd00:1::1']), el(['fd00:2::1']), el(['fd00:3::1'])];
    const r = ecmpRefusals(items, (x) => x);
    expect([...r.keys()]).toEqual([items[0], items[1], items[2]]);
    expect(r.get(items[0])).toMatch(/^'default-route' asks for 3 IPv6 gateways in one pod: got \["fd00:1::1","fd00:2::1","fd00:3::1"\]/);
    expect(r.get(items[2])).toMatch(/^'default-route' asks for 2 IPv6 gateways in one pod: got \["fd00:2::1","fd00:3::1"\]/);
    expect(ecmpRefusals([el(['10.0.0.1']), el(['fd00::1']), el([]), el()], (x) => x).size).toBe(0);
  });

  test('two gateways of one family in one element are refused too; a value that is no address is not counted', () => {
    const one = el(['10.0.0.1', '10.0.1.1']);
    expect([...ecmpRefusals([one, el()], (x) => x).keys()]).toEqual([one]);
    expect(ecmpRefusals([el(['10.0.0.1', 'nonsense'])], (x) => x).size).toBe(0);
  });
});

describe('applyGatewayRequest: one ip process per gateway, and how it reads the answers', () => {
  /** A fake process runner answering each call in turn (the last answer repeats). */
  function fake(...answers: Array<{ status: number | null; stderr: string }>) {
    const calls: Array<{ command: string; args: readonly string[]; input?: string }> = [];
    return {
      calls,
      procs: {
        run: async (command: string, args: readonly string[], input?: string) => {
          calls.push({ command, args, ...(input !== undefined ? { input } : {}) });
          return answers[Math.min(calls.length - 1, answers.length - 1)];
        },
      },
    };
  }
  const OK = { status: 0, stderr: '' };

  test('adds one default route per gateway (IPv6 as ::/0), each value its own argv element, no input on stdin; deletes none, reads nothing first', async () => {
    const f = fake(OK);
    expect(await applyGatewayRequest(f.procs, 'nfv1234-pod0', 'net1', ['10.1.0.1', 'fd00::1'])).toBeUndefined();
    expect(f.calls).toEqual([
      { command: 'ip', args: ['-n', 'nfv1234-pod0', 'route', 'add', '0.0.0.0/0', 'via', '10.1.0.1', 'dev', 'net1'] },
      { command: 'ip', args: ['-n', 'nfv1234-pod0', 'route', 'add', '::/0', 'via', 'fd00::1', 'dev', 'net1'] },
    ]);
    expect(f.calls.some((c) => c.args.includes('-batch'))).toBe(false);
    expect(gatewayRouteArgv('nfv1234-pod0', 'n6', ['::ffff:10.6.0.1'])).toEqual([['-n', 'nfv1234-pod0', 'route', 'add', '::/0', 'via', '::ffff:10.6.0.1', 'dev', 'n6']]);
    expect(await applyGatewayRequest(f.procs, 'nfv1234-pod0', 'net1', [])).toBeUndefined();
    expect(f.calls).toHaveLength(2);
  });

  test('a route that exists is ignored (Multus ignores EEXIST)', async () => {
    const f = fake({ status: 2, stderr: 'RTNETLINK answers: File exists\n' });
    expect(await applyGatewayRequest(f.procs, 'nfv1234-pod0', 'net1', ['10.1.0.1'])).toBeUndefined();
    expect(f.calls).toHaveLength(1);
  });

  test("only the last gateway's other error fails the attachment, as in Multus's SetDefaultGW; every gateway is still tried", async () => {
    const first = fake({ status: 2, stderr: 'RTNETLINK answers: Network is unreachable\n' }, OK);
    expect(await applyGatewayRequest(first.procs, 'nfv1234-pod0', 'net1', ['10.9.0.1', 'fd00::1'])).toBeUndefined();
    expect(first.calls.map((c) => c.args[6])).toEqual(['10.9.0.1', 'fd00::1']);
    const last = fake(OK, { status: 2, stderr: 'RTNETLINK answers: Network is unreachable\n' });
    expect(await applyGatewayRequest(last.procs, 'nfv1234-pod0', 'net1', ['10.1.0.1', 'fd00:9::1'])).toBe('default-route fd00:9::1 on net1: RTNETLINK answers: Network is unreachable');
    const killed = fake({ status: null, stderr: '' });
    expect(await applyGatewayRequest(killed.procs, 'nfv1234-pod0', 'net1', ['10.1.0.1'])).toBe('default-route 10.1.0.1 on net1: the run was stopped');
  });

  test.each([['10.1.0.1\nnetns add x'], ['::/0'], ['fd00::1 dev lo'], ['10.1.0.1#'], ['-batch'], ['10.1.0.1/24']])('a gateway %j is refused before any process runs', async (g) => {
    const f = fake(OK);
    await expect(applyGatewayRequest(f.procs, 'nfv1234-pod0', 'net1', ['10.1.0.1', g])).rejects.toThrow(`'default-route[1]' is not an IP address: got ${JSON.stringify(g)}; write the gateway address without prefix`);
    expect(f.calls).toEqual([]);
  });

  test('an interface or namespace that is no argv value is refused before any process runs', async () => {
    const f = fake(OK);
    await expect(applyGatewayRequest(f.procs, 'nfv1234-pod0', 'dev', ['10.1.0.1'])).rejects.toThrow('\'interface\' is a reserved name: got "dev"');
    await expect(applyGatewayRequest(f.procs, 'nfv1234-pod0', 'net1 x', ['10.1.0.1'])).rejects.toThrow('\'interface\' is not a valid link name: got "net1 x"');
    await expect(applyGatewayRequest(f.procs, '../etc', 'net1', ['10.1.0.1'])).rejects.toThrow('\'netns\' is not a namespace name of this run: got "../etc"');
    expect(f.calls).toEqual([]);
  });
});

describe('default-route through the emulated engine, with the real plugins', () => {
  const NEEDS = { plugins: ['bridge', 'host-local'] };
  const nad = (name: string, br: string, subnet: string, opts: { gateway?: string; routes?: string[] } = {}) => ({
    apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace: 'lab' },
    spec: { config: JSON.stringify({ cniVersion: '0.4.0', name, plugins: [{ type: 'bridge', bridge: br, ipam: {
      type: 'host-local', ranges: [[{ subnet, ...(opts.gateway ? { gateway: opts.gateway } : {}) }]], ...(opts.routes ? { routes: opts.routes.map((dst) => ({ dst })) } : {}) } }] }) },
  });
  const pod = (name: string, networks: object[]) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'lab', annotations: { 'k8s.v1.cni.cncf.io/networks': JSON.stringify(networks) } },
    spec: { containers: [{ name: 'c', image: 'x' }] },
  });

  /** Runs the emulated engine, reading every pod's default routes before the pings. */
  async function run(list: object[]) {
    const routes = new Map<string, string[]>();
    const engine = (context: EngineContext): VerifyEngine => {
      const e = new EmulatedEngine(context);
      let pods: Array<{ display: string; index: number }> = [];
      return Object.assign(Object.create(e) as VerifyEngine, {
        setup: (plan: any, runnable: any) => {
          pods = plan.pods.map((p: any) => ({ display: p.display, index: p.index }));
          return e.setup(plan, runnable);
        },
        settle: () => {
          for (const p of pods) {
            const seen: string[] = [];
            for (const fam of ['-4', '-6']) {
              const out = JSON.parse(spawnSync('ip', [fam, '-n', `${context.prefix}-pod${p.index}`, '-j', 'route', 'show', 'default'], { encoding: 'utf8' }).stdout || '[]');
              for (const r of out) seen.push(r.nexthops ? `${fam} nexthops` : `${fam} via ${r.gateway} dev ${r.dev}`);
            }
            routes.set(p.display, seen);
          }
          return e.settle();
        },
      });
    };
    const objects: ManifestObject[] = list.map((object, index) => ({ file: 't', index, object }));
    const report = await verifyObjects(objects, { engine });
    expect(report.leftovers).toEqual([]);
    const attach = Object.fromEntries(report.checks.filter((c) => c.check === CheckKind.ATTACH).map((c) => [c.from, `${c.result} ${c.reason ?? ''}`.trim()]));
    return { report, routes, attach };
  }

  dataplaneTest('IPv4 and IPv6 requests are both installed; a request beside an IPAM default route changes nothing and passes', NEEDS, async () => {
    const mixed = await run([
      nad('a', 'br-dr1', '10.176.0.0/24'), nad('b', 'br-dr2', 'fd00:176::/64'),
      pod('p', [{ name: 'a', 'default-route': ['10.176.0.1'] }, { name: 'b', 'default-route': ['fd00:176::1'] }]), pod('q', [{ name: 'a' }, { name: 'b' }]),
    ]);
    expect(mixed.attach['lab/p:net2']).toBe('passed fd00:176::2/64');
    expect(mixed.routes.get('lab/p')).toEqual(['-4 via 10.176.0.1 dev net1', '-6 via fd00:176::1 dev net2']);
    const beside = await run([
      nad('a', 'br-dr3', '10.177.0.0/24', { gateway: '10.177.0.1', routes: ['0.0.0.0/0'] }), nad('b', 'br-dr4', '10.178.0.0/24'),
      pod('p', [{ name: 'a' }, { name: 'b', 'default-route': ['10.178.0.1'] }]), pod('q', [{ name: 'a' }, { name: 'b' }]),
    ]);
    expect(beside.attach['lab/p:net2']).toBe('passed 10.178.0.2/24');
    expect(beside.routes.get('lab/p')).toEqual(['-4 via 10.177.0.1 dev net1']);
  }, 120000);

  dataplaneTest('two IPv4 default-route gateways: the first attachment fails with the ECMP refusal, the second installs its route', NEEDS, async () => {
    const r = await run([
      nad('a', 'br-dr5', '10.179.0.0/24'), nad('b', 'br-dr6', '10.180.0.0/24'),
      pod('p', [{ name: 'a', 'default-route': ['10.179.0.1'] }, { name: 'b', 'default-route': ['10.180.0.1'] }]), pod('q', [{ name: 'a' }, { name: 'b' }]),
    ]);
    expect(r.attach['lab/p:net1']).toBe(`failed 'default-route' asks for 2 IPv4 gateways in one pod: got ["10.179.0.1","10.180.0.1"]; Multus refuses the pod (${ECMP_REFUSAL}): ask for one default-route gateway per family`);
    expect(r.attach['lab/p:net2']).toBe('passed 10.180.0.2/24');
    expect(r.attach['lab/q:net1']).toBe('passed 10.179.0.2/24');
    expect(r.routes.get('lab/p')).toEqual(['-4 via 10.180.0.1 dev net2']);
  }, 120000);
});
