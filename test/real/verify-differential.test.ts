import * as fs from 'fs';
import { ControlPlane } from '../../lib/toolchain/control-plane';
import { CheckKind } from '../../lib/cli/verify';
import { dataplaneTest } from '../cli/dataplane/gate';
import { BUILD_TIMEOUT_MS, describeWithToolchain, ensureToolchain, startTestControlPlane } from '../util/toolchain';
import { Divergence, corpusInputs, divergenceCases, exampleInputs, runBoth } from './verify-differential-helpers';

/**
 * The emulation agrees with Multus (issue 13 item 5): every example, every real-world deployment
 * of test/corpus/ and the small divergence cases run through both engines on the same plugins;
 * the rows (attachments with their addresses, reachability, expectations, results), and what every
 * pod interface holds (addresses, routes, requested MACs) must be equal. The differences that
 * remain are listed below with the reason, and asserted exactly: a fixed one fails the test until
 * it leaves the list, a new one fails it until it is fixed or listed.
 */

const NEEDS = { plugins: ['macvlan', 'bridge', 'static', 'host-local', 'ptp', 'tuning'] };

/**
 * Known differences, each with its reason. Multus stops a pod at its first failing attachment and
 * rolls it back (on a real node the pod never starts; the Multus engine then retries the pod
 * without that attachment to give every other one its row); host-local does not hand the
 * released address out again at once, so the pod's other host-local addresses, and those of
 * later pods, are one higher than the emulation's, which attaches each network on its own.
 */
const EXCEPTIONS: Record<string, ReadonlyArray<readonly [string, string, string]>> = {
  'case failing-middle-attachment': [
    ['attach lab/a:g2 -> - (good)', 'passed 10.95.0.3/24', 'passed 10.95.0.4/24'],
    ['attach lab/a:net1 -> - (good)', 'passed 10.95.0.2/24', 'passed 10.95.0.3/24'],
    ['attach lab/b:net1 -> - (good)', 'passed 10.95.0.4/24', 'passed 10.95.0.5/24'],
    ['reach lab/a:g2 10.95.0.3/24 -> lab/b:net1 10.95.0.4/24 (good)', 'passed', 'absent'],
    ['reach lab/a:g2 10.95.0.4/24 -> lab/b:net1 10.95.0.5/24 (good)', 'absent', 'passed'],
    ['reach lab/a:net1 10.95.0.2/24 -> lab/b:net1 10.95.0.4/24 (good)', 'passed', 'absent'],
    ['reach lab/a:net1 10.95.0.3/24 -> lab/b:net1 10.95.0.5/24 (good)', 'absent', 'passed'],
    ['addresses of lab/a:g2', '10.95.0.3/24', '10.95.0.4/24'],
    ['addresses of lab/a:net1', '10.95.0.2/24', '10.95.0.3/24'],
    ['addresses of lab/b:net1', '10.95.0.4/24', '10.95.0.5/24'],
  ],
};

const show = (ds: readonly Divergence[]) => ds.map((d) => [d.what, d.emulated, d.multus]);

describeWithToolchain('the emulated engine agrees with the real Multus', ['etcd', 'kube-apiserver', 'multus'], () => {
  let cp: ControlPlane;
  let multus: string;
  beforeAll(async () => {
    multus = (await ensureToolchain(['multus'])).multus;
    cp = await startTestControlPlane();
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await cp?.stop();
  });

  const corpus = corpusInputs();
  test('the real-world corpus has at least 10 deployments', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(10);
  });

  const summary: string[] = [];
  afterAll(() => {
    if (summary.length > 0) process.stderr.write(`[differential] rows per input (passed/failed/unsupported, same in both engines unless listed):\n${summary.join('\n')}\n`);
  });

  for (const input of [...exampleInputs(), ...corpus, ...divergenceCases()]) {
    const expected = EXCEPTIONS[input.name] ?? [];
    dataplaneTest(`${input.name}: ${expected.length === 0 ? 'the same rows, addresses, routes and results' : `the same except ${expected.length} listed differences`}`, NEEDS, async () => {
      const r = await runBoth(input.name, input.objects, { multus, apiServer: cp });
      summary.push(`  ${input.name}: ${r.emulated.checks.length} rows, ${r.emulated.passed}/${r.emulated.failed}/${r.emulated.unsupported}; Multus calls ${r.multus.timings.pluginCalls}`);
      expect(show(r.divergences)).toEqual(expected.map((x) => [...x]));
      // the comparison is not empty where something ran: Multus attached each pod once and detached it once
      const attachedPods = new Set(r.multus.checks.filter((c) => c.check === CheckKind.ATTACH && c.result === 'passed').map((c) => c.from.split(':')[0]));
      expect(r.multus.timings.pluginCalls).toBeGreaterThanOrEqual(2 * attachedPods.size);
      expect(r.emulated.leftovers).toEqual([]);
      expect(r.multus.leftovers).toEqual([]);
    }, 300000);
  }

  // host-local keeps its state per node (on a real cluster, and in the emulation: two probes on
  // different nodes get the same address, which the run reports); the Multus engine gives each
  // node's Multus its own state directory through a bind mount in its private mount namespace
  dataplaneTest('every example together on three nodes: the same rows, per-node host-local state included', NEEDS, async () => {
    const r = await runBoth('examples on 3 nodes', exampleInputs().flatMap((i) => i.objects), { multus, apiServer: cp }, { nodes: 3 });
    expect(show(r.divergences)).toEqual([]);
    expect(r.multus.nodes).toBe(3);
    // which pods share a node follows the round-robin over every example's pods, so it moves as
    // examples come and go: every failure is a per-node host-local collision between two nodes
    const failed = r.multus.checks.filter((c) => c.result === 'failed').map((c) => c.reason ?? '');
    expect(failed.length).toBeGreaterThan(0);
    for (const reason of failed) {
      const m = /^both interfaces have the address (\S+); host-local allocates per node, so pods on nodes (\d) and (\d) get the same addresses: give each node its own range or use a cluster-wide IPAM \(whereabouts\)$/.exec(reason);
      expect(m).not.toBeNull();
      expect(m![2]).not.toBe(m![3]);
    }
    // the bind mounts lived in the Multus processes' own mount namespaces only
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(r.multus.prefix);
  }, 300000);
});
