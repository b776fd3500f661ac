import { isLinkName, isMac } from '../../lib/cli/dataplane/argv-values';
import type { DataplaneCapabilities } from '../../lib/cli/dataplane/capabilities';
import { ManifestObject } from '../../lib/cli/manifests';
import { CheckResult, EmulatedEngine, planRun } from '../../lib/cli/verify';
import { Processes } from '../../lib/cli/verify/processes';

/**
 * verify runs no `ip -batch` script and no shell: the emulated engine's setup and teardown make
 * every link, namespace and route with one `ip` argv per command, nothing on stdin. Every token is
 * a fixed word, a name the run made (its namespaces, `u0`, `n0u0`, `vfyb0`, the underlay's
 * 192.0.2.x), or an input value (a link name, a MAC) the argv grammar accepted, placed right after
 * its keyword (`name`, `dev`, `master`, `address`). No process runs here: the engine's process
 * runner is replaced by a recorder.
 */

const FIXED = new Set(['netns', 'add', 'delete', 'link', 'set', 'dev', 'lo', 'up', 'name', 'type', 'bridge', 'veth', 'peer', 'mtu', 'address', 'master', 'addr', 'route', 'default', 'via']);
const RUN_NAME = /^(nfv[0-9a-f]{4,16}-[a-z]{1,8}[0-9]{0,6}|u\d+|b\d+|n\d+u\d+|n\d+b\d+|vfyb\d+|192\.0\.2\.\d+(\/24)?)$/;
const INPUT_KEYWORDS = new Set(['name', 'dev', 'master', 'address']);

const nad = (name: string, plugin: object) => ({
  apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace: 'lab' },
  spec: { config: JSON.stringify({ cniVersion: '1.0.0', name, plugins: [plugin] }) },
});

describe('the emulated engine runs one argv per ip command, with only the run\'s own tokens and checked input values', () => {
  afterEach(() => jest.restoreAllMocks());

  test('setup of uplinks, a default-route uplink, bridges on two nodes and a host-device by MAC', async () => {
    const objects: ManifestObject[] = [
      nad('m', { type: 'macvlan', master: 'ens1f0.100', mtu: 9000, ipam: { type: 'host-local', subnet: '10.1.0.0/24' } }),
      nad('d', { type: 'macvlan', ipam: { type: 'host-local', subnet: '10.2.0.0/24' } }),
      nad('b', { type: 'bridge', bridge: 'br_n4-x', ipam: { type: 'host-local', subnet: '10.3.0.0/24' } }),
      nad('h', { type: 'host-device', hwaddr: '02:AA:00:00:00:01' }),
      // refused by the plan: never reaches a script
      nad('evil', { type: 'macvlan', master: 'eth1\nnetns add x' }),
      nad('evil2', { type: 'bridge', bridge: 'type' }),
    ].map((object, index) => ({ file: 't', index, object }));
    const plan = planRun(objects, { nodes: 2 });
    const runnable = plan.attachments.filter((a) => !a.problem);
    expect(plan.attachments.filter((a) => a.problem?.result === CheckResult.FAILED).map((a) => a.problem!.reason)).toEqual([
      ...Array(2).fill('NetworkAttachmentDefinition lab/evil: \'spec.config.plugins[0].master\' is not a valid link name: got "eth1\\nnetns add x"; use a Linux interface name of at most 15 characters from [A-Za-z0-9_.-]'),
      ...Array(2).fill('NetworkAttachmentDefinition lab/evil2: \'spec.config.plugins[0].bridge\' is a reserved name: got "type"; use another interface name (\'lo\' and iproute2 keywords such as \'type\' or \'netns\' are refused)'),
    ]);
    const calls: Array<{ args: readonly string[]; input: string }> = [];
    jest.spyOn(Processes.prototype, 'run').mockImplementation(async (_c: string, args: readonly string[], input = '') => {
      calls.push({ args, input });
      return { status: 0, stdout: '', stderr: '' };
    });
    const engine = new EmulatedEngine({ prefix: 'nfv00ab', stateDir: '/nonexistent', cniPath: [], capabilities: {} as DataplaneCapabilities, nodes: 2 });
    expect((await engine.setup(plan, runnable)).size).toBe(0);
    // no batch, no stdin: every call is one command with its values as argv elements
    expect(calls.filter((c) => c.args.includes('-batch') || c.args.includes('-force'))).toEqual([]);
    expect(calls.every((c) => c.input === '')).toBe(true);
    // the namespaces: `ip netns add <run name>`, each its own process
    const netnsAdds = calls.filter((c) => c.args[0] === 'netns');
    expect(netnsAdds.map((c) => c.args.slice(0, 2))).toEqual(Array(netnsAdds.length).fill(['netns', 'add']));
    expect(netnsAdds.every((c) => c.args.length === 3 && RUN_NAME.test(c.args[2]))).toBe(true);
    expect(netnsAdds.length).toBe(1 + 2 + new Set(runnable.map((a) => a.pod)).size); // the underlay, two nodes, the pods
    const argvCalls = calls.filter((c) => c.args[0] !== 'netns');
    const inputs: string[] = [];
    for (const c of argvCalls) {
      expect(c.args[0]).toBe('-n');
      const tokens = c.args.slice(2);
      tokens.forEach((t, i) => {
        if (FIXED.has(t) || RUN_NAME.test(t) || (tokens[i - 1] === 'mtu' && /^\d+$/.test(t))) return;
        inputs.push(t);
        expect([tokens.join(' '), INPUT_KEYWORDS.has(tokens[i - 1]), isLinkName(t) || isMac(t)]).toEqual([tokens.join(' '), true, true]);
      });
    }
    expect([...new Set(inputs)].sort()).toEqual(['br_n4-x', 'eth0', 'ens1f0.100', 'hostdev0', '02:aa:00:00:00:01'].sort());
  });
});
