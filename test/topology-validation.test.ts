import { App, Chart, Testing } from 'cdk8s';
import { Capability } from '../lib/cni/common';
import { CniConfig } from '../lib/cni/config';
import { HostLocalIpam } from '../lib/cni/ipam/host-local';
import { MacvlanPlugin } from '../lib/cni/plugins/macvlan';
import { Severity } from '../lib/cni/problem';
import { PluginsProfile } from '../lib/cni/profile';
import { PreinstalledCniPlugins } from '../lib/installers/inventory';
import { IpamMode, Network, NetworkPlugin } from '../lib/network';
import { NetworkAttachmentDefinition } from '../lib/network-attachment-definition';
import { NetworkFunction, NetworkFunctionContainer, ReplicaAddressing, WorkloadKind } from '../lib/network-function';
import { TopologyValidation } from '../lib/topology-validation';
import { checkTopology } from '../lib/topology/topology';

const APP: NetworkFunctionContainer = { name: 'app', image: 'registry.example.com/app:1.0.0' };

function app(): App {
  const a = Testing.app();
  PreinstalledCniPlugins.fromProfile(new Chart(a, 'nodes'), 'NodePlugins', PluginsProfile.UPSTREAM);
  return a;
}

function chart(a: App = app(), id: string = 'test', namespace: string = 'core'): Chart {
  return new Chart(a, id, { namespace });
}

/** The synth error of the App of `c`, or undefined when it synthesizes. */
function synthError(c: Chart | App): string | undefined {
  try {
    if (c instanceof App) c.synthYaml();
    else Testing.synth(c);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The error lines the topology validation reports, without cdk8s's prefix. */
function topologyErrors(c: Chart | App): string[] {
  const message = synthError(c) ?? '';
  return message.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('[NfvTopologyValidation] ')).map((l) => l.slice('[NfvTopologyValidation] '.length));
}

const staticNet = (c: Chart, id: string = 'Data', props: Partial<ConstructorParameters<typeof Network>[2]> = {}) =>
  new Network(c, id, { plugin: NetworkPlugin.macvlan({ uplink: 'eth1' }), subnets: ['10.1.0.0/24'], gateways: ['10.1.0.1'], ipam: IpamMode.STATIC, ...props });

describe('TopologyValidation', () => {
  test('one per App, at its root, created by the first network function', () => {
    const a = app();
    const c1 = chart(a, 'one');
    const c2 = chart(a, 'two');
    expect(a.node.tryFindChild('NfvTopologyValidation')).toBeUndefined();
    new NetworkFunction(c1, 'A', { containers: [APP] });
    new NetworkFunction(c2, 'B', { containers: [APP] });
    const v = a.node.tryFindChild('NfvTopologyValidation');
    expect(v).toBeInstanceOf(TopologyValidation);
    expect(a.node.children.filter((x) => x instanceof TopologyValidation)).toHaveLength(1);
    expect(TopologyValidation.of(c2)).toBe(v);
  });

  test('a clean App synthesizes', () => {
    const c = chart();
    const data = staticNet(c);
    new NetworkFunction(c, 'A', { containers: [APP] }).attach(data, { ips: ['10.1.0.10/24'] });
    new NetworkFunction(c, 'B', { replicas: 4, containers: [APP] }).attach(new Network(c, 'Pool', { plugin: NetworkPlugin.bridge({ bridge: 'br0' }), subnets: ['10.2.0.0/24'] }));
    expect(synthError(c)).toBeUndefined();
  });

  describe('one check per synth', () => {
    // checkTopology is called through the module object, so a spy sees every call
    const topologyModule = require('../lib/topology/topology') as typeof import('../lib/topology/topology');

    afterEach(() => jest.restoreAllMocks());

    test('cdk8s validates the App once and again per chart: the topology is checked once', () => {
      const a = app();
      const c1 = chart(a, 'one');
      const c2 = chart(a, 'two', 'edge');
      new NetworkFunction(c1, 'A', { containers: [APP] }).attach(staticNet(c1), { ips: ['10.1.0.10/24'] });
      new NetworkFunction(c2, 'B', { containers: [APP] }).attach(staticNet(c2), { ips: ['10.1.0.11/24'] });
      const spy = jest.spyOn(topologyModule, 'checkTopology');
      expect(synthError(a)).toBeUndefined();
      expect(spy).toHaveBeenCalledTimes(1);
    });

    test('a change made after a synth, in the same run, is checked by the next synth', () => {
      const c = chart();
      const data = staticNet(c);
      const nf = new NetworkFunction(c, 'A', { containers: [APP] });
      nf.attach(data, { ips: ['10.1.0.10/24'] });
      expect(synthError(c)).toBeUndefined();
      // a new attachment
      nf.attach(data, { interface: 'net9', ips: ['10.9.0.10/24'] });
      expect(topologyErrors(c)).toEqual([expect.stringMatching(/attachments\[1\]\.ips\[0\]' is outside the subnets of /)]);
    });

    test('a new function, a new NAD, a removed function and a changed plugin chain are all seen', () => {
      const c = chart();
      const data = staticNet(c);
      new NetworkFunction(c, 'A', { containers: [APP] }).attach(data, { ips: ['10.1.0.10/24'] });
      expect(synthError(c)).toBeUndefined();
      // a second function claims the same address
      new NetworkFunction(c, 'B', { containers: [APP] }).attach(data, { ips: ['10.1.0.10/24'] });
      expect(topologyErrors(c)).toEqual([expect.stringMatching(/is already used on /)]);
      // removing it makes the App clean again
      expect(c.node.tryRemoveChild('B')).toBe(true);
      expect(synthError(c)).toBeUndefined();
    });

    test('a change of a plugin chain makes the next synth check again; no change reuses the result', () => {
      const c = chart();
      const data = staticNet(c);
      new NetworkFunction(c, 'A', { containers: [APP] }).attach(data, { ips: ['10.1.0.10/24'] });
      const spy = jest.spyOn(topologyModule, 'checkTopology');
      expect(synthError(c)).toBeUndefined();
      expect(synthError(c)).toBeUndefined();
      expect(spy).toHaveBeenCalledTimes(1);
      data.nadFor('core').config!.main.addCapability(Capability.MAC);
      expect(synthError(c)).toBeUndefined();
      expect(spy).toHaveBeenCalledTimes(2);
    });

    test('the result lives on the App: reused in a later run while nothing changed, recomputed when something did', async () => {
      const c = chart();
      const data = staticNet(c);
      new NetworkFunction(c, 'A', { containers: [APP] }).attach(data, { ips: ['10.1.0.10/24'] });
      const spy = jest.spyOn(topologyModule, 'checkTopology');
      expect(synthError(c)).toBeUndefined();
      await Promise.resolve();
      expect(synthError(c)).toBeUndefined();
      expect(spy).toHaveBeenCalledTimes(1);
      // a change of the chain after the run ended is still seen
      data.nadFor('core').config!.main.addCapability(Capability.MAC);
      expect(synthError(c)).toBeUndefined();
      expect(spy).toHaveBeenCalledTimes(2);
    });

    test('two Apps never share a result', () => {
      const build = (ip: string) => {
        const c = chart();
        const data = staticNet(c);
        new NetworkFunction(c, 'A', { containers: [APP] }).attach(data, { ips: ['10.1.0.10/24'] });
        new NetworkFunction(c, 'B', { containers: [APP] }).attach(data, { ips: [ip] });
        return c;
      };
      expect(synthError(build('10.1.0.11/24'))).toBeUndefined();
      expect(topologyErrors(build('10.1.0.10/24'))).toEqual([expect.stringMatching(/is already used on /)]);
    });

    test('options changed in place after a synth change nothing: attach kept a copy (issue 14 item 6)', () => {
      const c = chart();
      const data = staticNet(c);
      new NetworkFunction(c, 'A', { containers: [APP] }).attach(data, { ips: ['10.1.0.10/24'] });
      const ips = ['10.1.0.11/24'];
      new NetworkFunction(c, 'B', { containers: [APP] }).attach(data, { ips });
      expect(synthError(c)).toBeUndefined();
      ips[0] = '10.1.0.10/24';
      expect(synthError(c)).toBeUndefined();
      const b = Testing.synth(c).find((o: any) => o.kind === 'Deployment' && o.metadata.name === 'b');
      expect(JSON.parse(b.spec.template.metadata.annotations['k8s.v1.cni.cncf.io/networks'])[0].ips).toEqual(['10.1.0.11/24']);
    });
  });

  describe('topology()', () => {
    test('gathers the NADs, the external networks and one pod entry per workload, across charts', () => {
      const a = app();
      const nets = chart(a, 'nets', 'infra');
      const fns = chart(a, 'fns', 'core');
      const data = staticNet(nets);
      const upf = new NetworkFunction(fns, 'Upf', { replicas: 2, replicaAddressing: ReplicaAddressing.PER_REPLICA, containers: [APP] });
      upf.attach(data, { ipsPerReplica: [['10.1.0.20/24'], ['10.1.0.21/24']] });
      const ds = new NetworkFunction(fns, 'Agent', { kind: WorkloadKind.DAEMON_SET, containers: [APP] });
      ds.attach(data);
      const t = TopologyValidation.of(a).topology();
      expect(t.networks.map((n) => [n.namespace, n.name, n.path, n.addressSpace])).toEqual([['core', 'data', 'nets/Data/core', 'nets/Data']]);
      expect(t.networks[0].subnets?.map(String)).toEqual(['10.1.0.0/24']);
      expect(t.networks[0].gateways?.map(String)).toEqual(['10.1.0.1']);
      expect(t.pods.map((p) => [p.name, p.namespace, p.path, p.replicas])).toEqual([
        ['upf-0', 'core', 'fns/Upf/Replica0/Workload', 1],
        ['upf-1', 'core', 'fns/Upf/Replica1/Workload', 1],
        ['agent', 'core', 'fns/Agent/Workload', undefined],
      ]);
      expect(t.pods[1].attachments).toEqual([{ name: 'data', namespace: 'core', interface: 'net1', ips: ['10.1.0.21/24'] }]);
    });
  });

  describe('the rules of the whole topology, provoked through the constructs', () => {
    test('fails on an attachment to a NAD that is not part of the App', () => {
      const c = chart();
      const foreign = new NetworkAttachmentDefinition(chart(app(), 'elsewhere'), 'Nad', {
        metadata: { name: 'foreign' },
        config: CniConfig.list([new MacvlanPlugin({ master: 'eth1', ipam: HostLocalIpam.subnet('10.9.0.0/24') })]),
      });
      new NetworkFunction(c, 'Fn', { containers: [APP] }).attach(foreign);
      expect(topologyErrors(c)).toEqual([
        "[test/Fn/Workload] 'attachments[0].name' does not resolve to a NetworkAttachmentDefinition of the App in namespace core: got \"foreign\"; create it in namespace core, or declare it as an external network",
      ]);
    });

    test('fails on a static IP outside the subnet of the network', () => {
      const c = chart();
      new NetworkFunction(c, 'Fn', { containers: [APP] }).attach(staticNet(c), { ips: ['10.2.0.5/24'] });
      expect(topologyErrors(c)).toEqual([
        "[test/Fn/Workload] 'attachments[0].ips[0]' is outside the subnets of data (10.1.0.0/24): got \"10.2.0.5/24\"; pick an address inside the network's subnet",
      ]);
    });

    test('fails on the network, broadcast and gateway addresses', () => {
      const c = chart();
      const data = staticNet(c);
      new NetworkFunction(c, 'Net', { containers: [APP] }).attach(data, { ips: ['10.1.0.0/24'] });
      new NetworkFunction(c, 'Bcast', { containers: [APP] }).attach(data, { ips: ['10.1.0.255/24'] });
      new NetworkFunction(c, 'Gw', { containers: [APP] }).attach(data, { ips: ['10.1.0.1/24'] });
      expect(topologyErrors(c)).toEqual([
        "[test/Net/Workload] 'attachments[0].ips[0]' is the network address of 10.1.0.0/24: got \"10.1.0.0/24\"; pick a host address",
        "[test/Bcast/Workload] 'attachments[0].ips[0]' is the broadcast address of 10.1.0.0/24: got \"10.1.0.255/24\"; pick a host address",
        "[test/Gw/Workload] 'attachments[0].ips[0]' is the gateway of data: got \"10.1.0.1/24\"; pick an address other than the gateway",
      ]);
    });

    test('fails on a static IP used twice on one network, across charts and namespaces', () => {
      const a = app();
      const c1 = chart(a, 'cp', 'fivegc-cp');
      const c2 = chart(a, 'ran', 'ran');
      const n2 = staticNet(c1, 'N2', { name: 'n2' });
      new NetworkFunction(c1, 'Amf', { containers: [APP] }).attach(n2, { ips: ['10.1.0.10/24'] });
      // the NAD of namespace ran is derived from the same logical network: one address space
      new NetworkFunction(c2, 'Gnb', { containers: [APP] }).attach(n2, { ips: ['10.1.0.10/24'] });
      expect(topologyErrors(a)).toEqual([
        "[ran/Gnb/Workload] 'attachments[0].ips[0]' is already used on n2 by cp/Amf/Workload (net1): got \"10.1.0.10/24\"; give every attachment of a network its own address",
      ]);
    });

    test('fails on one static IP on a 3-replica Deployment; per-replica addressing or a pool IPAM pass', () => {
      const c = chart();
      const data = staticNet(c);
      new NetworkFunction(c, 'Amf', { replicas: 3, containers: [APP] }).attach(data, { ips: ['10.1.0.10/24'] });
      expect(topologyErrors(c)).toEqual([
        "[test/Amf/Workload] 'attachments[0].ips' is a static address on 3 replicas, which would all claim it: got [\"10.1.0.10/24\"]; use per-replica addressing (one address per replica), or a pool IPAM (host-local, whereabouts) without static ips",
      ]);

      const ok = chart();
      new NetworkFunction(ok, 'Amf', { replicas: 3, replicaAddressing: ReplicaAddressing.PER_REPLICA, containers: [APP] })
        .attach(staticNet(ok), { ipsPerReplica: [['10.1.0.10/24'], ['10.1.0.11/24'], ['10.1.0.12/24']] });
      new NetworkFunction(ok, 'Smf', { replicas: 3, containers: [APP] })
        .attach(new Network(ok, 'Pool', { plugin: NetworkPlugin.macvlan({ uplink: 'eth2' }), subnets: ['10.3.0.0/24'], ipam: IpamMode.WHEREABOUTS }));
      expect(synthError(ok)).toBeUndefined();
    });

    test('fails on a static IP on a DaemonSet', () => {
      const c = chart();
      new NetworkFunction(c, 'Agent', { kind: WorkloadKind.DAEMON_SET, containers: [APP] }).attach(staticNet(c), { ips: ['10.1.0.10/24'] });
      expect(topologyErrors(c)).toEqual([expect.stringMatching(/^\[test\/Agent\/Workload\] 'attachments\[0\]\.ips' is a static address on a pod per node, which would all claim it/)]);
    });

    test('fails on two default-route owners in one pod', () => {
      const c = chart();
      const fn = new NetworkFunction(c, 'Upf', { containers: [APP] });
      fn.attach(staticNet(c, 'N3', { subnets: ['10.3.0.0/24'], gateways: ['10.3.0.1'] }), { ips: ['10.3.0.20/24'], defaultRoute: true });
      fn.attach(staticNet(c, 'N6', { subnets: ['10.6.0.0/24'], gateways: ['10.6.0.1'] }), { ips: ['10.6.0.20/24'], defaultRoute: true });
      expect(topologyErrors(c)).toEqual([
        "[test/Upf/Workload] 'attachments' give the pod 2 default routes: got [\"n3\",\"n6\"]; let exactly one attachment own the default route (Multus rejects ECMP default routes)",
      ]);
    });

    test('fails on a default-route gateway outside the subnet', () => {
      const c = chart();
      new NetworkFunction(c, 'Upf', { containers: [APP] }).attach(staticNet(c), { ips: ['10.1.0.20/24'], defaultRoute: ['10.6.0.1'] });
      expect(topologyErrors(c)).toEqual([
        "[test/Upf/Workload] 'attachments[0].default-route[0]' is outside the subnets of data (10.1.0.0/24): got \"10.6.0.1\"; route through a gateway on the attached subnet",
      ]);
    });

    test('fails on a MAC used twice on one network', () => {
      const c = chart();
      const data = staticNet(c);
      new NetworkFunction(c, 'A', { containers: [APP] }).attach(data, { ips: ['10.1.0.10/24'], mac: '02:00:00:00:00:10' });
      new NetworkFunction(c, 'B', { containers: [APP] }).attach(data, { ips: ['10.1.0.11/24'], mac: '02:00:00:00:00:10' });
      expect(topologyErrors(c)).toEqual([
        "[test/B/Workload] 'attachments[0].mac' is already used on data by test/A/Workload (net1): got \"02:00:00:00:00:10\"; give every interface of a network its own MAC",
      ]);
    });

    test('fails on a fixed MAC on several replicas', () => {
      const c = chart();
      new NetworkFunction(c, 'A', { replicas: 2, containers: [APP] }).attach(new Network(c, 'L2', { plugin: NetworkPlugin.macvlan({ uplink: 'eth1' }) }), { mac: '02:00:00:00:00:10' });
      expect(topologyErrors(c)).toEqual([
        "[test/A/Workload] 'attachments[0].mac' is a fixed MAC on 2 replicas: got \"02:00:00:00:00:10\"; use per-replica addressing, or let the plugin pick MACs",
      ]);
    });

    // these rules are enforced earlier, when the construct is built, with the construct path
    test('fails on interface names: eth0, lo, longer than 15 characters (twice in a pod: the rulebook, at synth)', () => {
      const c = chart();
      const data = staticNet(c);
      const fn = new NetworkFunction(c, 'Fn', { containers: [APP] });
      expect(() => fn.attach(data, { interface: 'eth0' })).toThrow(/^NetworkFunction test\/Fn attachment 0 \(data\): 'interface' is taken by the cluster network or loopback: got "eth0"/);
      expect(() => fn.attach(data, { interface: 'lo' })).toThrow(/'interface' is taken by the cluster network or loopback: got "lo"/);
      expect(() => fn.attach(data, { interface: 'a'.repeat(16) })).toThrow(/'interface' is longer than 15 characters \(16\)/);
      fn.attach(data, { interface: 'n3' });
    });

    test('fails on malformed and multicast MACs', () => {
      const c = chart();
      const fn = new NetworkFunction(c, 'Fn', { containers: [APP] });
      expect(() => fn.attach(staticNet(c), { mac: '02:00:00:00:00:zz' })).toThrow(/'mac' is not a MAC address: got "02:00:00:00:00:zz"/);
      expect(() => fn.attach(staticNet(c, 'Other', { name: 'other' }), { mac: '03:00:00:00:00:01' })).toThrow(/'mac' is a multicast MAC address: got "03:00:00:00:00:01"/);
    });

    test('fails on NAD names that are not DNS-1123 labels', () => {
      const c = chart();
      expect(() => new Network(c, 'Bad', { name: 'N_3', plugin: NetworkPlugin.macvlan({ uplink: 'eth1' }) })).toThrow(/^Network test\/Bad: 'name' is not a DNS-1123 label: got "N_3"/);
      expect(() => new NetworkAttachmentDefinition(c, 'Nad', { metadata: { name: 'N_3' } })).toThrow(/^NetworkAttachmentDefinition test\/Nad: 'metadata\.name' is not a DNS-1123 label/);
    });

    test('reports every problem of the App together, each with its construct path', () => {
      const a = app();
      const c1 = chart(a, 'one');
      const c2 = chart(a, 'two');
      const data = staticNet(c1);
      new NetworkFunction(c1, 'A', { replicas: 2, containers: [APP] }).attach(data, { ips: ['10.1.0.10/24'] });
      new NetworkFunction(c2, 'B', { containers: [APP] }).attach(data, { ips: ['10.9.0.10/24'] });
      const message = synthError(a) ?? '';
      expect(message).toMatch(/^Validation failed with the following errors:\n/);
      expect(topologyErrors(a)).toEqual([
        expect.stringMatching(/^\[one\/A\/Workload\] 'attachments\[0\]\.ips' is a static address on 2 replicas/),
        expect.stringMatching(/^\[two\/B\/Workload\] 'attachments\[0\]\.ips\[0\]' is outside the subnets of data/),
      ]);
    });

    test('warnings do not fail the synth', () => {
      const c = chart();
      const tiny = new Network(c, 'Tiny', { plugin: NetworkPlugin.bridge({ bridge: 'br0' }), subnets: ['10.1.0.0/29'] });
      new NetworkFunction(c, 'Many', { replicas: 20, containers: [APP] }).attach(tiny);
      expect(synthError(c)).toBeUndefined();
      const problems = checkTopology(TopologyValidation.of(c).topology());
      expect(problems.map((p) => p.severity)).toEqual([Severity.WARNING]);
    });
  });
});

describe('NADs no workload selects are part of the whole-topology check', () => {
  test('two NADs of one bridge with one host-local range under two names fail the synth as lint flags them, without any workload', () => {
    const c = chart();
    const pool = () => CniConfig.list([new MacvlanPlugin({ master: 'eth1', ipam: new HostLocalIpam({ ranges: [[{ subnet: '10.1.0.0/24' }]] }) })]);
    new NetworkAttachmentDefinition(c, 'Data', { metadata: { name: 'data' }, config: pool() });
    new NetworkAttachmentDefinition(c, 'Copy', { metadata: { name: 'data-copy' }, config: pool() });
    expect(() => Testing.synth(c)).toThrow(/\[test\/Copy\] .*'ipam' overlaps the host-local range of core\/data on the same segment/);
    // the check exists because a NAD was made, not because a workload attached
    expect(c.node.root.node.tryFindChild('NfvTopologyValidation')).toBeDefined();
  });

  test('a NAD alone that conflicts with nothing synthesizes', () => {
    const c = chart();
    new NetworkAttachmentDefinition(c, 'Data', { metadata: { name: 'data' }, config: CniConfig.list([new MacvlanPlugin({ master: 'eth1', ipam: new HostLocalIpam({ ranges: [[{ subnet: '10.1.0.0/24' }]] }) })]) });
    expect(Testing.synth(c).map((o: any) => o.kind)).toEqual(['NetworkAttachmentDefinition']);
  });
});
