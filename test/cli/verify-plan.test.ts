import { CheckKind, CheckResult, planRun, safeText, VERIFY_LIMITS, VerifyCannotRun } from '../../lib/cli/verify';

/** The plan is pure: manifests to pods, attachments and input rows, with the limits enforced. */

const nad = (name: string, config: object, ns = 'lab') => ({ apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace: ns }, spec: { config: JSON.stringify({ cniVersion: '1.0.0', name, ...config }) } });
const workload = (kind: string, name: string, networks: string, spec: object = {}) => ({
  apiVersion: kind === 'Pod' ? 'v1' : 'apps/v1', kind, metadata: { name, namespace: 'lab', ...(kind === 'Pod' ? { annotations: { 'k8s.v1.cni.cncf.io/networks': networks } } : {}) },
  spec: kind === 'Pod' ? { containers: [] } : { ...spec, template: { metadata: { annotations: { 'k8s.v1.cni.cncf.io/networks': networks } }, spec: { containers: [] } } },
});
const objects = (...docs: object[]) => docs.map((object, index) => ({ file: 'x.yaml', index, object }));
const MACVLAN = { type: 'macvlan', master: 'eth1', ipam: { type: 'static' } };

describe('planRun', () => {
  test('a list with cniVersions runs at the highest version libcni implements (as Multus and cni-dra-driver run it); without, as written', () => {
    const p = planRun(objects(
      nad('multi', { cniVersion: '1.0.0', cniVersions: ['0.4.0', '1.1.0', '2.0.0'], plugins: [MACVLAN] }),
      nad('plain', { plugins: [MACVLAN] }),
    ));
    expect([...p.networks.values()].map((n) => [n.name, n.list!.cniVersion])).toEqual([['multi', '1.1.0'], ['plain', '1.0.0']]);
  });

  test('a cniVersions entry that is no version fails that NAD as libcni refuses the list; the others run', () => {
    const p = planRun(objects(
      nad('bad', { cniVersion: '1.0.0', cniVersions: ['1.0.0', 'one'], plugins: [MACVLAN] }),
      nad('good', { cniVersion: '0.4.0', cniVersions: ['1.0'], plugins: [MACVLAN] }),
    ));
    const [bad, good] = [...p.networks.values()];
    expect(bad.list).toBeUndefined();
    expect(bad.invalid).toBe('NetworkAttachmentDefinition lab/bad: \'spec.config.cniVersions\' is refused by libcni: got ["1.0.0","one"]; write versions such as "1.0.0" '
      + '(error parsing configuration list: invalid cniVersions entry "one" at index 1: failed to convert major version part "one")');
    expect(good.list!.cniVersion).toBe('1.0');
  });

  test('one pod per replica, spread round-robin over the nodes; a DaemonSet one per node', () => {
    const plan = planRun(objects(nad('data', MACVLAN), workload('Deployment', 'dep', 'data', { replicas: 3 }), workload('DaemonSet', 'ds', 'data')), { nodes: 2 });
    expect(plan.pods.map((p) => [p.display, p.node])).toEqual([['lab/dep[0]', 0], ['lab/dep[1]', 1], ['lab/dep[2]', 0], ['lab/ds[0]', 0], ['lab/ds[1]', 1]]);
    expect(plan.attachments.map((a) => [a.ifname, a.networkName, a.problem])).toEqual(Array(5).fill(['net1', 'data', undefined]));
    expect(plan.inputRows).toEqual([]);
  });

  test('interface names follow Multus: the element\'s interface, else net<i>', () => {
    const plan = planRun(objects(nad('a', MACVLAN), nad('b', MACVLAN), workload('Pod', 'p', '[{"name":"a"},{"name":"b","interface":"data0"},{"name":"a"}]')));
    expect(plan.pods[0].attachments.map((a) => a.ifname)).toEqual(['net1', 'data0', 'net3']);
  });

  test('probe pods on NADs nobody selects (two each), unless turned off', () => {
    expect(planRun(objects(nad('lonely', MACVLAN))).pods.map((p) => p.display)).toEqual(['(probe)/lab/lonely[0]', '(probe)/lab/lonely[1]']);
    expect(planRun(objects(nad('lonely', MACVLAN)), { probeUnselected: false }).pods).toEqual([]);
  });

  test('a missing NAD, a bad config, an option reaching outside the run: the attachment\'s problem, not the run\'s', () => {
    const plan = planRun(objects(
      nad('bad', { type: 'macvlan', master: 'eth1;id' }),
      nad('far', { type: 'macvlan', master: 'eth1', logFile: '/x' }),
      workload('Pod', 'p', 'bad,far,nowhere'),
    ));
    expect(plan.attachments.map((a) => [a.networkName, a.problem?.result])).toEqual([['bad', CheckResult.FAILED], ['far', CheckResult.UNSUPPORTED], ['nowhere', CheckResult.FAILED]]);
    expect(plan.attachments[2].problem?.reason).toBe('no NetworkAttachmentDefinition lab/nowhere in the inputs');
  });

  test('replicas above the run\'s cap are an input row naming the field; the rest is planned', () => {
    const plan = planRun(objects(nad('data', MACVLAN), workload('Deployment', 'big', 'data', { replicas: VERIFY_LIMITS.maxReplicas + 1 }), workload('Pod', 'ok', 'data')));
    expect(plan.inputRows).toEqual([{
      check: CheckKind.INPUT, from: 'Deployment lab/big', to: '-', network: '-', result: CheckResult.FAILED,
      reason: `Deployment lab/big: 'spec.replicas' must be an integer from 0 to ${VERIFY_LIMITS.maxReplicas}: got ${VERIFY_LIMITS.maxReplicas + 1}; verify brings up at most ${VERIFY_LIMITS.maxReplicas} pods per workload`,
    }]);
    expect(plan.pods.map((p) => p.display)).toEqual(['lab/ok']);
  });

  test('replicas 0 plans no pod and no row; replicas null is the default (1)', () => {
    const plan = planRun(objects(nad('data', MACVLAN), workload('Deployment', 'zero', 'data', { replicas: 0 }), workload('Deployment', 'dflt', 'data', { replicas: null })));
    expect(plan.inputRows).toEqual([]);
    expect(plan.pods.map((p) => p.display)).toEqual(['lab/dflt']);
  });

  test('--nodes outside 1..64 cannot run', () => {
    expect(() => planRun([], { nodes: 0 })).toThrow(new VerifyCannotRun("'--nodes' must be an integer from 1 to 64: got 0; emulate fewer nodes"));
    expect(() => planRun([], { nodes: 65 })).toThrow(VerifyCannotRun);
  });

  test('safeText quotes anything but printable ASCII', () => {
    expect(safeText('lab/p')).toBe('lab/p');
    expect(safeText('a\nb')).toBe('"a\\nb"');
    expect(safeText('é')).toBe('"é"');
  });
});
