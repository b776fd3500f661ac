/**
 * Hostile calls of the public entry points, as plain JavaScript makes them (no type checker):
 * wrong types, NaN and Infinity, out-of-range numbers, strings where lists are expected, unknown
 * and misspelt keys, inherited keys. Each case is a call and the exact error text it must throw.
 * The table is shared by test/hostile/constructs.test.ts (which asserts every message).
 */
import { Chart, Testing } from 'cdk8s';
import { CniConfig } from '../../lib/cni/config';
import { DhcpIpam } from '../../lib/cni/ipam/dhcp';
import { HostLocalIpam } from '../../lib/cni/ipam/host-local';
import { StaticIpam } from '../../lib/cni/ipam/static';
import { WhereaboutsIpam } from '../../lib/cni/ipam/whereabouts';
import { UncheckedIpam } from '../../lib/cni/ipam';
import { UncheckedPlugin } from '../../lib/cni/plugin';
import { BridgePlugin } from '../../lib/cni/plugins/bridge';
import { MacvlanPlugin } from '../../lib/cni/plugins/macvlan';
import { SriovPlugin } from '../../lib/cni/plugins/sriov';
import { TuningPlugin } from '../../lib/cni/plugins/tuning';
import { PluginsProfile } from '../../lib/cni/profile';
import { ExternalNetwork } from '../../lib/external-network';
import { Calico, IpAutodetectionMethod } from '../../lib/installers/calico';
import { CiliumTls } from '../../lib/installers/cilium';
import { ContainerImage } from '../../lib/installers/container-image';
import { KubeRouterKubeconfig } from '../../lib/installers/kube-router';
import { CniPlugins, CniPluginsSource } from '../../lib/installers/cni-plugins';
import { FlannelBackend } from '../../lib/installers/flannel';
import { PreinstalledCniPlugins } from '../../lib/installers/inventory';
import { Multus, PrimaryNetwork } from '../../lib/installers/multus';
import { EnvEntry, NodeAgentDaemonSet, NodeAgentSecurity, PriorityClass, Toleration, UpdateStrategy } from '../../lib/installers/node-agent';
import { Whereabouts } from '../../lib/installers/whereabouts';
import {
  MultiNetworkPolicy, MultiNetworkPolicyPeer, MultiNetworkPolicyPort, PolicyLabelExpression, PolicyLabelSelector,
} from '../../lib/multi-network-policy';
import { IpamMode, Network, NetworkPlugin } from '../../lib/network';
import { NetworkAttachmentDefinition } from '../../lib/network-attachment-definition';
import { NetworkFunction, ReplicaAddressing } from '../../lib/network-function';
import { ReachabilityExpectation } from '../../lib/reachability';

/** One hostile call: what it is, the call, and the exact message it must throw. */
export interface HostileCase {
  readonly name: string;
  readonly call: () => unknown;
  readonly error: string;
}

const IMAGE = 'registry.example.com/app:1.0.0';
const APP = { name: 'app', image: IMAGE };

/** A chart in namespace `core` whose nodes have every upstream plugin. */
export function chart(): Chart {
  const c = new Chart(Testing.app(), 'test', { namespace: 'core' });
  PreinstalledCniPlugins.fromProfile(c, 'NodePlugins', PluginsProfile.UPSTREAM);
  return c;
}

/** A static-IPAM macvlan network and a function in one chart. */
export function fixture(): { c: Chart; net: Network; fn: NetworkFunction; fn2: NetworkFunction } {
  const c = chart();
  const net = new Network(c, 'Data', { plugin: NetworkPlugin.macvlan({ uplink: 'eth1' }), subnets: ['10.1.0.0/24'], ipam: IpamMode.STATIC });
  const fn = new NetworkFunction(c, 'Fn', { containers: [APP] });
  const fn2 = new NetworkFunction(c, 'Fn2', { containers: [APP] });
  return { c, net, fn, fn2 };
}

const any = (x: unknown) => x as any;
const macvlan = () => new MacvlanPlugin({ master: 'eth1' });

/** NetworkFunction with one bad prop (containers default to one good container). */
function nf(props: Record<string, unknown>): () => unknown {
  return () => new NetworkFunction(chart(), 'Fn', any({ containers: [APP], ...props }));
}

/** NetworkFunction with one bad container prop. */
function container(props: Record<string, unknown>): () => unknown {
  return () => new NetworkFunction(chart(), 'Fn', any({ containers: [{ ...APP, ...props }] }));
}

/** attach() with bad options. */
function attach(options: unknown): () => unknown {
  return () => {
    const { net, fn } = fixture();
    return fn.attach(net, any(options));
  };
}

/** Network with one bad prop. */
function network(props: Record<string, unknown>): () => unknown {
  return () => new Network(chart(), 'Data', any({ plugin: NetworkPlugin.macvlan({ uplink: 'eth1' }), subnets: ['10.1.0.0/24'], ...props }));
}

function policy(props: Record<string, unknown>): () => unknown {
  return () => {
    const { c, net } = fixture();
    return new MultiNetworkPolicy(c, 'P', any({ networks: [net], ...props }));
  };
}


export const CASES: readonly HostileCase[] = [
  // ----- NetworkFunction: the props object -----
  {
    name: 'NetworkFunction: no props',
    call: () => new NetworkFunction(chart(), 'Fn', any(undefined)),
    error: 'NetworkFunction test/Fn: \'props\' must be an object of NetworkFunctionProps: got nothing; pass an object such as { containers: ..., kind: ... }',
  },
  {
    name: 'NetworkFunction: props is a string',
    call: () => new NetworkFunction(chart(), 'Fn', any('app')),
    error: 'NetworkFunction test/Fn: \'props\' must be an object of NetworkFunctionProps: got "app"; pass an object such as { containers: ..., kind: ... }, not a string',
  },
  {
    name: 'NetworkFunction: props is a list',
    call: () => new NetworkFunction(chart(), 'Fn', any([APP])),
    error: 'NetworkFunction test/Fn: \'props\' must be an object of NetworkFunctionProps: got [{"name":"app","image":"registry.example.com/app:1.0.0"}]; pass one object such as { containers: ..., kind: ... }, not a list',
  },
  {
    name: 'NetworkFunction: props with a prototype of its own',
    call: () => new NetworkFunction(chart(), 'Fn', Object.create({ containers: [APP] })),
    error: 'NetworkFunction test/Fn: \'props\' must be a plain object of NetworkFunctionProps (its prototype is not Object.prototype): got {}; pass an object literal { ... }: keys of a prototype or a class instance are not read',
  },
  {
    name: 'NetworkFunction: containers missing',
    call: () => new NetworkFunction(chart(), 'Fn', any({ replicas: 1 })),
    error: 'NetworkFunction test/Fn: \'containers\' is required: got nothing; list the containers, e.g. [{ name: "nf", image: "registry.example.com/nf:1.0" }], or pass an existing workload',
  },
  {
    name: 'NetworkFunction: containers is a string',
    call: nf({ containers: 'app' }),
    error: 'NetworkFunction test/Fn: \'containers\' must be a list, each item an object of NetworkFunctionContainer: got "app"; write a list such as ["app"], not a string (a string is not a list)',
  },
  {
    name: 'NetworkFunction: containers is an object',
    call: nf({ containers: APP }),
    error: 'NetworkFunction test/Fn: \'containers\' must be a list, each item an object of NetworkFunctionContainer: got {"name":"app","image":"registry.example.com/app:1.0.0"}; write a list [...], not an object',
  },
  {
    name: 'NetworkFunction: a container is null',
    call: nf({ containers: [null] }),
    error: 'NetworkFunction test/Fn: \'containers[0]\' must be an object of NetworkFunctionContainer: got null; pass an object such as { name: ..., image: ... }',
  },
  {
    name: 'NetworkFunction: a hole in containers',
    call: nf({ containers: [APP, undefined] }),
    error: 'NetworkFunction test/Fn: \'containers[1]\' is missing (a hole or undefined in the list): got nothing; write an object of NetworkFunctionContainer, or remove the entry',
  },
  {
    name: 'NetworkFunction: replicas NaN',
    call: nf({ replicas: NaN }),
    error: 'NetworkFunction test/Fn: \'replicas\' must be an integer from 0 to 2147483647: got NaN; write a finite number, not NaN',
  },
  {
    name: 'NetworkFunction: replicas Infinity',
    call: nf({ replicas: Infinity }),
    error: 'NetworkFunction test/Fn: \'replicas\' must be an integer from 0 to 2147483647: got Infinity; write a finite number, not Infinity',
  },
  {
    name: 'NetworkFunction: replicas negative',
    call: nf({ replicas: -5 }),
    error: 'NetworkFunction test/Fn: \'replicas\' is out of range: must be an integer from 0 to 2147483647: got -5; write a value from 0 to 2147483647',
  },
  {
    name: 'NetworkFunction: replicas fractional',
    call: nf({ replicas: 1.5 }),
    error: 'NetworkFunction test/Fn: \'replicas\' must be an integer from 0 to 2147483647: got 1.5; write a whole number',
  },
  {
    name: 'NetworkFunction: replicas a string',
    call: nf({ replicas: '3' }),
    error: 'NetworkFunction test/Fn: \'replicas\' must be an integer from 0 to 2147483647: got "3"; write a number, not a string',
  },
  {
    name: 'NetworkFunction: replicas beyond int32',
    call: nf({ replicas: 1e10 }),
    error: 'NetworkFunction test/Fn: \'replicas\' is out of range: must be an integer from 0 to 2147483647: got 10000000000; write a value from 0 to 2147483647',
  },
  {
    name: 'NetworkFunction: 5000 per-replica workloads',
    call: nf({ replicas: 5000, replicaAddressing: ReplicaAddressing.PER_REPLICA }),
    error: 'NetworkFunction test/Fn: \'replicas\' is more than 1000 with per-replica addressing (one workload each): got 5000; use at most 1000 replicas, or shared addressing with pool IPAM',
  },
  {
    name: 'NetworkFunction: kind in the wrong case',
    call: nf({ kind: 'deployment' }),
    error: 'NetworkFunction test/Fn: \'kind\' must be one of "Pod", "Deployment", "StatefulSet", "DaemonSet": got "deployment"; use a value of WorkloadKind: one of "Pod", "Deployment", "StatefulSet", "DaemonSet"',
  },
  {
    name: 'NetworkFunction: replicaAddressing by enum key',
    call: nf({ replicaAddressing: 'PER_REPLICA' }),
    error: 'NetworkFunction test/Fn: \'replicaAddressing\' must be one of "shared", "per-replica": got "PER_REPLICA"; use a value of ReplicaAddressing: one of "shared", "per-replica"',
  },
  {
    name: 'NetworkFunction: namespace a number',
    call: nf({ namespace: 5 }),
    error: 'NetworkFunction test/Fn: \'namespace\' must be a non-empty string: got 5; write a non-empty string, not a number',
  },
  {
    name: 'NetworkFunction: name empty',
    call: nf({ name: '' }),
    error: 'NetworkFunction test/Fn: \'name\' is empty: got ""; write a non-empty string',
  },
  {
    name: 'NetworkFunction: labels a string',
    call: nf({ labels: 'app=x' }),
    error: 'NetworkFunction test/Fn: \'labels\' must be an object whose values are each a string: got "app=x"; write an object { key: value }, not a string',
  },
  {
    name: 'NetworkFunction: a label value a number',
    call: nf({ labels: { tier: 1 } }),
    error: 'NetworkFunction test/Fn: \'labels.tier\' must be a string: got 1; write a string, not a number',
  },
  {
    name: 'NetworkFunction: defaultNetwork a name',
    call: nf({ defaultNetwork: 'data' }),
    error: 'NetworkFunction test/Fn: \'defaultNetwork\' must be a Network, NetworkAttachmentDefinition or ExternalNetwork construct: got "data"; pass the construct itself, not its name (declare a NAD outside the App with new ExternalNetwork(...))',
  },
  {
    name: 'NetworkFunction: attachments an object',
    call: nf({ attachments: { network: 'data' } }),
    error: 'NetworkFunction test/Fn: \'attachments\' must be a list, each item an object of NetworkFunctionProps.attachments[]: got {"network":"data"}; write a list [...], not an object',
  },
  {
    name: 'NetworkFunction: an attachment without network',
    call: nf({ attachments: [{ ips: ['10.1.0.5/24'] }] }),
    error: 'NetworkFunction test/Fn: \'attachments[0].network\' is required: got nothing; name the network: { network: myNetwork, ... }',
  },
  {
    name: 'NetworkFunction: an attachment to a network by name',
    call: nf({ attachments: [{ network: 'data' }] }),
    error: 'NetworkFunction test/Fn: \'attachments[0].network\' must be a Network, NetworkAttachmentDefinition or ExternalNetwork construct: got "data"; pass the construct itself, not its name (declare a NAD outside the App with new ExternalNetwork(...))',
  },
  {
    name: 'NetworkFunction: unknown prop terminationGracePeriodSeconds',
    call: nf({ terminationGracePeriodSeconds: NaN }),
    error: 'NetworkFunction test/Fn: \'terminationGracePeriodSeconds\' is not a prop of NetworkFunctionProps: got NaN; remove it; the props of NetworkFunctionProps are \'containers\', \'kind\', \'name\', \'replicas\', \'replicaAddressing\', \'namespace\', \'labels\', \'defaultNetwork\', \'attachments\', \'rendering\', \'workload\', \'pod\', \'deployment\', \'statefulSet\', \'daemonSet\'',
  },
  {
    name: 'NetworkFunction: misspelt prop Replicas',
    call: nf({ Replicas: 2 }),
    error: 'NetworkFunction test/Fn: \'Replicas\' is not a prop of NetworkFunctionProps: got 2; write it as \'replicas\' (props are case-sensitive)',
  },
  {
    name: 'NetworkFunction: several problems at once',
    call: nf({ replicas: 'x', kind: 7, bogus: true }),
    error: 'NetworkFunction test/Fn: 3 problems:\n  \'replicas\' must be an integer from 0 to 2147483647: got "x"; write a number, not a string\n  \'kind\' must be one of "Pod", "Deployment", "StatefulSet", "DaemonSet": got 7; use a value of WorkloadKind: one of "Pod", "Deployment", "StatefulSet", "DaemonSet"\n  \'bogus\' is not a prop of NetworkFunctionProps: got true; remove it; the props of NetworkFunctionProps are \'containers\', \'kind\', \'name\', \'replicas\', \'replicaAddressing\', \'namespace\', \'labels\', \'defaultNetwork\', \'attachments\', \'rendering\', \'workload\', \'pod\', \'deployment\', \'statefulSet\', \'daemonSet\'',
  },
  // ----- NetworkFunction: containers -----
  {
    name: 'container: name a number',
    call: container({ name: 5 }),
    error: 'NetworkFunction test/Fn: \'containers[0].name\' must be a string matching a DNS-1123 label: got 5; write a lowercase name such as "router", not a number',
  },
  {
    name: 'container: name not a DNS-1123 label',
    call: container({ name: 'App_1' }),
    error: 'NetworkFunction test/Fn: \'containers[0].name\' must be a string matching a DNS-1123 label: got "App_1"; write a lowercase name such as "router"',
  },
  {
    name: 'container: image missing',
    call: () => new NetworkFunction(chart(), 'Fn', any({ containers: [{ name: 'app' }] })),
    error: 'NetworkFunction test/Fn: \'containers[0].image\' is required: got nothing; give an image pinned to a tag or digest, e.g. "quay.io/frrouting/frr:10.2.1"',
  },
  {
    name: 'container: image empty',
    call: container({ image: '' }),
    error: 'NetworkFunction test/Fn: \'containers[0].image\' is empty: got ""; write a non-empty string',
  },
  {
    name: 'container: unknown key pullPolicy',
    call: container({ pullPolicy: 'Always' }),
    error: 'NetworkFunction test/Fn: \'containers[0].pullPolicy\' is not a prop of NetworkFunctionContainer: got "Always"; remove it; the props of NetworkFunctionContainer are \'name\', \'image\', \'capabilities\', \'privileged\', \'ensureNonRoot\', \'command\', \'args\', \'env\', \'ports\', \'resources\', \'extendedResources\', \'envVariables\', \'envFrom\', \'volumeMounts\', \'imagePullPolicy\', \'readiness\', \'liveness\', \'startup\', \'lifecycle\', \'securityContext\', \'workingDir\', \'portNumber\', \'port\', \'restartPolicy\'',
  },
  {
    name: 'container: misspelt key Image',
    call: () => new NetworkFunction(chart(), 'Fn', any({ containers: [{ name: 'app', Image: IMAGE }] })),
    error: 'NetworkFunction test/Fn: 2 problems:\n  \'containers[0].Image\' is not a prop of NetworkFunctionContainer: got "registry.example.com/app:1.0.0"; write it as \'image\' (props are case-sensitive)\n  \'containers[0].image\' is required: got nothing; give an image pinned to a tag or digest, e.g. "quay.io/frrouting/frr:10.2.1"',
  },
  {
    name: 'container: a port above 65535',
    call: container({ ports: [70000] }),
    error: 'NetworkFunction test/Fn: \'containers[0].ports[0]\' is out of range: must be an integer from 1 to 65535: got 70000; write a value from 1 to 65535',
  },
  {
    name: 'container: a port 0',
    call: container({ ports: [0] }),
    error: 'NetworkFunction test/Fn: \'containers[0].ports[0]\' is out of range: must be an integer from 1 to 65535: got 0; write a value from 1 to 65535',
  },
  {
    name: 'container: a fractional port',
    call: container({ ports: [80.5] }),
    error: 'NetworkFunction test/Fn: \'containers[0].ports[0]\' must be an integer from 1 to 65535: got 80.5; write a whole number',
  },
  {
    name: 'container: a port as a string',
    call: container({ ports: ['80'] }),
    error: 'NetworkFunction test/Fn: \'containers[0].ports[0]\' must be an integer from 1 to 65535: got "80"; write a number, not a string',
  },
  {
    name: 'container: a port NaN',
    call: container({ ports: [NaN] }),
    error: 'NetworkFunction test/Fn: \'containers[0].ports[0]\' must be an integer from 1 to 65535: got NaN; write a finite number, not NaN',
  },
  {
    name: 'container: ports a number',
    call: container({ ports: 80 }),
    error: 'NetworkFunction test/Fn: \'containers[0].ports\' must be a list, each item an integer from 1 to 65535: got 80; write a list [...], not a number',
  },
  {
    name: 'container: env a string',
    call: container({ env: 'A=1' }),
    error: 'NetworkFunction test/Fn: \'containers[0].env\' must be an object whose values are each a string: got "A=1"; write an object { key: value }, not a string',
  },
  {
    name: 'container: an env value a number',
    call: container({ env: { A: 1 } }),
    error: 'NetworkFunction test/Fn: \'containers[0].env.A\' must be a string: got 1; write a string, not a number',
  },
  {
    name: 'container: command a string',
    call: container({ command: 'sleep infinity' }),
    error: 'NetworkFunction test/Fn: \'containers[0].command\' must be a list, each item a string: got "sleep infinity"; write a list such as ["sleep infinity"], not a string (a string is not a list)',
  },
  {
    name: 'container: an arg a number',
    call: container({ args: ['-n', 1] }),
    error: 'NetworkFunction test/Fn: \'containers[0].args[1]\' must be a string: got 1; write a string, not a number',
  },
  {
    name: 'container: a capability without CAP_',
    call: container({ capabilities: ['NET_ADMIN'] }),
    error: 'NetworkFunction test/Fn: \'containers[0].capabilities[0]\' must be a value of kplus.Capability: got "NET_ADMIN"; use a value of kplus.Capability such as "CAP_AUDIT_CONTROL"',
  },
  {
    name: 'container: capabilities a string',
    call: container({ capabilities: 'CAP_NET_ADMIN' }),
    error: 'NetworkFunction test/Fn: \'containers[0].capabilities\' must be a list, each item a value of kplus.Capability: got "CAP_NET_ADMIN"; write a list such as ["CAP_NET_ADMIN"], not a string (a string is not a list)',
  },
  {
    name: 'container: privileged a string',
    call: container({ privileged: 'true' }),
    error: 'NetworkFunction test/Fn: \'containers[0].privileged\' must be true or false: got "true"; write true or false, not a string',
  },
  {
    name: 'container: ensureNonRoot a number',
    call: container({ ensureNonRoot: 1 }),
    error: 'NetworkFunction test/Fn: \'containers[0].ensureNonRoot\' must be true or false: got 1; write true or false, not a number',
  },
  {
    name: 'container: resources a string',
    call: container({ resources: 'big' }),
    error: 'NetworkFunction test/Fn: \'containers[0].resources\' must be a JSON object: got "big"; write an object { ... }, not a string',
  },
  // ----- NetworkFunction.attach -----
  {
    name: 'attach: no network',
    call: () => fixture().fn.attach(any(undefined)),
    error: 'NetworkFunction test/Fn attachment 0: \'network\' is required: got nothing; pass the network to attach to: attach(network, options)',
  },
  {
    name: 'attach: network by name',
    call: () => fixture().fn.attach(any('data')),
    error: 'NetworkFunction test/Fn attachment 0: \'network\' must be a Network, NetworkAttachmentDefinition or ExternalNetwork construct: got "data"; pass the construct itself, not its name (declare a NAD outside the App with new ExternalNetwork(...))',
  },
  {
    name: 'attach: options a string',
    call: attach('net1'),
    error: 'NetworkFunction test/Fn attachment 0: \'props\' must be an object of AttachmentOptions: got "net1"; pass an object such as { interface: ..., ips: ... }, not a string',
  },
  {
    name: 'attach: options a list',
    call: attach([{ interface: 'net1' }]),
    error: 'NetworkFunction test/Fn attachment 0: \'props\' must be an object of AttachmentOptions: got [{"interface":"net1"}]; pass one object such as { interface: ..., ips: ... }, not a list',
  },
  {
    name: 'attach: ips a string',
    call: attach({ ips: '10.1.0.5/24' }),
    error: 'NetworkFunction test/Fn attachment 0: \'ips\' must be a list, each item a non-empty string: got "10.1.0.5/24"; write a list such as ["10.1.0.5/24"], not a string (a string is not a list)',
  },
  {
    name: 'attach: an ip a number',
    call: attach({ ips: [167837957] }),
    error: 'NetworkFunction test/Fn attachment 0: \'ips[0]\' must be a non-empty string: got 167837957; write an address with its prefix, e.g. "10.1.0.5/24", not a number',
  },
  {
    name: 'attach: ips empty',
    call: attach({ ips: [] }),
    error: 'NetworkFunction test/Fn attachment 0 (data): \'ips\' must be a non-empty list of addresses: got []; write ["10.1.0.5/24"]',
  },
  {
    name: 'attach: interface a number',
    call: attach({ interface: 1 }),
    error: 'NetworkFunction test/Fn attachment 0: \'interface\' must be a non-empty string: got 1; write an interface name such as "net1", not a number',
  },
  {
    name: 'attach: interface of 16 characters',
    call: attach({ interface: 'n'.repeat(16) }),
    error: 'NetworkFunction test/Fn attachment 0 (data): \'interface\' is longer than 15 characters (16): got "nnnnnnnnnnnnnnnn"; shorten it: Linux interface names hold at most 15 characters',
  },
  {
    name: 'attach: mac a number',
    call: attach({ mac: 123 }),
    error: 'NetworkFunction test/Fn attachment 0: \'mac\' must be a non-empty string: got 123; write a non-empty string, not a number',
  },
  {
    name: 'attach: defaultRoute a string',
    call: attach({ defaultRoute: 'yes' }),
    error: 'NetworkFunction test/Fn attachment 0: \'defaultRoute\' must be true, false or a list of gateway addresses: got "yes"; write true (the network\'s gateways) or a list such as ["10.1.0.1"]',
  },
  {
    name: 'attach: a defaultRoute gateway a number',
    call: attach({ defaultRoute: ['10.1.0.1', 5] }),
    error: 'NetworkFunction test/Fn attachment 0: \'defaultRoute[1]\' must be a non-empty string: got 5; write a non-empty string, not a number',
  },
  {
    name: 'attach: portMappings an object',
    call: attach({ portMappings: { hostPort: 8080, containerPort: 80 } }),
    error: 'NetworkFunction test/Fn attachment 0: \'portMappings\' must be a list, each item an object of SelectionPortMapping: got {"hostPort":8080,"containerPort":80}; write a list [...], not an object',
  },
  {
    name: 'attach: a host port above 65535',
    call: attach({ portMappings: [{ hostPort: 70000, containerPort: 80 }] }),
    error: 'NetworkFunction test/Fn attachment 0: \'portMappings[0].hostPort\' is out of range: must be an integer from 1 to 65535: got 70000; write a value from 1 to 65535',
  },
  {
    name: 'attach: a port mapping without containerPort',
    call: attach({ portMappings: [{ hostPort: 8080 }] }),
    error: 'NetworkFunction test/Fn attachment 0: \'portMappings[0].containerPort\' is required: got nothing; give the container port, 1 to 65535',
  },
  {
    name: 'attach: a port mapping with proto',
    call: attach({ portMappings: [{ hostPort: 8080, containerPort: 80, proto: 'tcp' }] }),
    error: 'NetworkFunction test/Fn attachment 0: \'portMappings[0].proto\' is not a prop of SelectionPortMapping: got "tcp"; remove it; the props of SelectionPortMapping are \'hostPort\', \'containerPort\', \'protocol\', \'hostIP\'',
  },
  {
    name: 'attach: a port mapping protocol icmp',
    call: attach({ portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'icmp' }] }),
    error: 'NetworkFunction test/Fn attachment 0: \'portMappings[0].protocol\' must be one of "tcp", "udp", "sctp", "TCP", "UDP", "SCTP": got "icmp"; use a value of PortMappingProtocol: one of "tcp", "udp", "sctp", "TCP", "UDP", "SCTP"',
  },
  {
    name: 'attach: bandwidth a number',
    call: attach({ bandwidth: 1000 }),
    error: 'NetworkFunction test/Fn attachment 0: \'bandwidth\' must be an object of SelectionBandwidth: got 1000; pass an object such as { ingressRate: ..., ingressBurst: ... }',
  },
  {
    name: 'attach: a negative rate',
    call: attach({ bandwidth: { ingressRate: -1, ingressBurst: 10 } }),
    error: 'NetworkFunction test/Fn attachment 0: \'bandwidth.ingressRate\' is out of range: must be an integer of at least 0 bits per second: got -1; write a value of at least 0 bits per second',
  },
  {
    name: 'attach: a rate NaN',
    call: attach({ bandwidth: { ingressRate: NaN, ingressBurst: 10 } }),
    error: 'NetworkFunction test/Fn attachment 0: \'bandwidth.ingressRate\' must be an integer of at least 0 bits per second: got NaN; write a finite number, not NaN',
  },
  {
    name: 'attach: a bandwidth key rate',
    call: attach({ bandwidth: { rate: 5 } }),
    error: 'NetworkFunction test/Fn attachment 0: \'bandwidth.rate\' is not a prop of SelectionBandwidth: got 5; remove it; the props of SelectionBandwidth are \'ingressRate\', \'ingressBurst\', \'egressRate\', \'egressBurst\'',
  },
  {
    name: 'attach: cniArgs a string',
    call: attach({ cniArgs: 'x=1' }),
    error: 'NetworkFunction test/Fn attachment 0: \'cniArgs\' must be a JSON object: got "x=1"; write an object { ... }, not a string',
  },
  {
    name: 'attach: cniArgs a list',
    call: attach({ cniArgs: [1] }),
    error: 'NetworkFunction test/Fn attachment 0: \'cniArgs\' must be a JSON object: got [1]; write an object { ... }, not a list',
  },
  {
    name: 'attach: cniArgs with a function',
    call: attach({ cniArgs: { f: () => 1 } }),
    error: 'NetworkFunction test/Fn attachment 0: \'cniArgs\' must be JSON data (objects, lists, strings, finite numbers, booleans, null): got {}; remove functions, NaN, Infinity and cycles',
  },
  {
    name: 'attach: cniArgs with NaN',
    call: attach({ cniArgs: { n: NaN } }),
    error: 'NetworkFunction test/Fn attachment 0: \'cniArgs\' must be JSON data (objects, lists, strings, finite numbers, booleans, null): got {"n":null}; remove functions, NaN, Infinity and cycles',
  },
  {
    name: 'attach: ipsPerReplica a flat list',
    call: attach({ ipsPerReplica: ['10.1.0.5/24'] }),
    error: 'NetworkFunction test/Fn attachment 0: \'ipsPerReplica[0]\' must be a list, each item a non-empty string: got "10.1.0.5/24"; write a list such as ["10.1.0.5/24"], not a string (a string is not a list)',
  },
  {
    name: 'attach: macPerReplica a string',
    call: attach({ macPerReplica: '02:00:00:00:00:01' }),
    error: 'NetworkFunction test/Fn attachment 0: \'macPerReplica\' must be a list, each item a non-empty string: got "02:00:00:00:00:01"; write a list such as ["02:00:00:00:00:01"], not a string (a string is not a list)',
  },
  {
    name: 'attach: infinibandGuid a number',
    call: attach({ infinibandGuid: 5 }),
    error: 'NetworkFunction test/Fn attachment 0: \'infinibandGuid\' must be a non-empty string: got 5; write a non-empty string, not a number',
  },
  {
    name: 'attach: container a number',
    call: attach({ container: 0 }),
    error: 'NetworkFunction test/Fn attachment 0: \'container\' must be a non-empty string: got 0; write a non-empty string, not a number',
  },
  {
    name: 'attach: the status key gateway',
    call: attach({ gateway: ['10.1.0.1'] }),
    error: 'NetworkFunction test/Fn attachment 0: \'gateway\' is not a prop of AttachmentOptions: got ["10.1.0.1"]; use \'defaultRoute\' (true, or a list of gateway addresses)',
  },
  {
    name: 'attach: the wire key default-route',
    call: attach({ 'default-route': ['10.1.0.1'] }),
    error: 'NetworkFunction test/Fn attachment 0: \'default-route\' is not a prop of AttachmentOptions: got ["10.1.0.1"]; write it as \'defaultRoute\'',
  },
  {
    name: 'attach: the network in the options',
    call: attach({ network: 'data' }),
    error: 'NetworkFunction test/Fn attachment 0: \'network\' is not a prop of AttachmentOptions: got "data"; pass the network as the first argument of attach(network, options)',
  },
  {
    name: 'attach: an unknown key ipAddresses',
    call: attach({ ipAddresses: ['10.1.0.5/24'] }),
    error: 'NetworkFunction test/Fn attachment 0: \'ipAddresses\' is not a prop of AttachmentOptions: got ["10.1.0.5/24"]; remove it; the props of AttachmentOptions are \'interface\', \'ips\', \'ipsPerReplica\', \'mac\', \'macPerReplica\', \'defaultRoute\', \'portMappings\', \'bandwidth\', \'cniArgs\', \'infinibandGuid\', \'ipamClaimReference\', \'container\', \'devices\'',
  },
  // ----- NetworkFunction.addBond -----
  {
    name: 'addBond: no options',
    call: () => fixture().fn.addBond(any(undefined)),
    error: 'NetworkFunction test/Fn bond: \'props\' must be an object of BondOptions: got nothing; pass an object such as { interface: ..., links: ... }',
  },
  {
    name: 'addBond: links a string',
    call: () => fixture().fn.addBond(any({ links: 'net1,net2' })),
    error: 'NetworkFunction test/Fn bond: \'links\' must be a list, each item a JSON object: got "net1,net2"; write a list such as ["net1,net2"], not a string (a string is not a list)',
  },
  {
    name: 'addBond: miimonMs NaN',
    call: () => fixture().fn.addBond(any({ links: [], miimonMs: NaN })),
    error: 'NetworkFunction test/Fn bond: \'miimonMs\' must be an integer from 0 to 2147483647 ms: got NaN; write a finite number, not NaN',
  },
  {
    name: 'addBond: mode lacp',
    call: () => fixture().fn.addBond(any({ links: [], mode: 'lacp' })),
    error: 'NetworkFunction test/Fn bond: \'mode\' must be one of "balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb": got "lacp"; use a value of BondMode: one of "balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb"',
  },
  {
    name: 'addBond: mtu 10',
    call: () => fixture().fn.addBond(any({ links: [], mtu: 10 })),
    error: 'NetworkFunction test/Fn bond: \'mtu\' is out of range: must be an integer from 68 to 65535: got 10; write a value from 68 to 65535',
  },
  {
    name: 'addBond: unknown key slaves',
    call: () => fixture().fn.addBond(any({ links: [], slaves: ['net1'] })),
    error: 'NetworkFunction test/Fn bond: \'slaves\' is not a prop of BondOptions: got ["net1"]; remove it; the props of BondOptions are \'interface\', \'links\', \'mode\', \'miimonMs\', \'ipam\', \'mtu\', \'profile\'',
  },
  // ----- Network -----
  {
    name: 'Network: no props',
    call: () => new Network(chart(), 'Data', any(undefined)),
    error: 'Network test/Data: \'props\' must be an object of NetworkProps: got nothing; pass an object such as { name: ..., plugin: ... }',
  },
  {
    name: 'Network: plugin missing',
    call: () => new Network(chart(), 'Data', any({ subnets: ['10.1.0.0/24'] })),
    error: 'Network test/Data: \'plugin\' is required: got nothing; give the interface plugin, e.g. NetworkPlugin.macvlan({ uplink: "eth1" })',
  },
  {
    name: 'Network: plugin by name',
    call: network({ plugin: 'macvlan' }),
    error: 'Network test/Data: \'plugin\' must be a NetworkPlugin: got "macvlan"; build it with a factory such as NetworkPlugin.macvlan({ uplink: "eth1" })',
  },
  {
    name: 'Network: namespaces a string',
    call: network({ namespaces: 'default' }),
    error: 'Network test/Data: \'namespaces\' must be a list, each item a non-empty string: got "default"; write a list such as ["default"], not a string (a string is not a list)',
  },
  {
    name: 'Network: subnets a string',
    call: network({ subnets: '10.1.0.0/24' }),
    error: 'Network test/Data: \'subnets\' must be a list, each item a non-empty string: got "10.1.0.0/24"; write a list such as ["10.1.0.0/24"], not a string (a string is not a list)',
  },
  {
    name: 'Network: a subnet a number',
    call: network({ subnets: [1] }),
    error: 'Network test/Data: \'subnets[0]\' must be a non-empty string: got 1; write a prefix such as "10.3.0.0/24", not a number',
  },
  {
    name: 'Network: gateways a string',
    call: network({ gateways: '10.1.0.1' }),
    error: 'Network test/Data: \'gateways\' must be a list, each item a non-empty string: got "10.1.0.1"; write a list such as ["10.1.0.1"], not a string (a string is not a list)',
  },
  {
    name: 'Network: ipam by enum key',
    call: network({ ipam: 'STATIC' }),
    error: 'Network test/Data: \'ipam\' must be one of "host-local", "whereabouts", "static", "dhcp", "none": got "STATIC"; use a value of IpamMode: one of "host-local", "whereabouts", "static", "dhcp", "none"',
  },
  {
    name: 'Network: a route with via',
    call: network({ routes: [{ dst: '0.0.0.0/0', via: '10.1.0.1' }] }),
    error: 'Network test/Data: \'routes[0].via\' is not a field of a route {dst, gw}: got "10.1.0.1"; remove it; the fields are \'dst\', \'gw\', \'mtu\', \'advmss\', \'priority\', \'table\', \'scope\'',
  },
  {
    name: 'Network: routes a string',
    call: network({ routes: '0.0.0.0/0' }),
    error: 'Network test/Data: \'routes\' must be a list, each item a route {dst, gw}: got "0.0.0.0/0"; write a list such as ["0.0.0.0/0"], not a string (a string is not a list)',
  },
  {
    name: 'Network: chain a list',
    call: network({ chain: [new TuningPlugin({})] }),
    error: 'Network test/Data: \'chain\' must be a function returning the chained plugins: got [{"spec":{"type":"tuning","project":"containernetworking-plugins","role":"chained","ipam":"none","dns":false,"consumes":["mac"],"fields":{"sysctl":{"key":"sysctl","type":{"description":"an object o...; write chain: () => [new TuningPlugin({...})] (a factory: each NAD gets its own instances)',
  },
  {
    name: 'Network: chain returning a string',
    call: network({ chain: () => 'tuning', namespaces: ['core'] }),
    error: 'Network test/Data: \'chain()\' must be a list, each item a CNI plugin: got "tuning"; write a list such as ["tuning"], not a string (a string is not a list)',
  },
  {
    name: 'Network: cniVersion a number',
    call: network({ cniVersion: 1.0 }),
    error: 'Network test/Data: \'cniVersion\' must be one of "0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0": got 1; use a value of CniVersion: one of "0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"',
  },
  {
    name: 'Network: profile by name',
    call: network({ profile: 'upstream' }),
    error: 'Network test/Data: \'profile\' must be a PluginsProfile: got "upstream"; use a PluginsProfile such as PluginsProfile.UPSTREAM',
  },
  {
    name: 'Network: the singular subnet',
    call: network({ subnet: '10.2.0.0/24' }),
    error: 'Network test/Data: \'subnet\' is not a prop of NetworkProps: got "10.2.0.0/24"; write it as \'subnets\' (a list)',
  },
  {
    name: 'Network: nadFor a number',
    call: () => fixture().net.nadFor(any(5)),
    error: 'Network test/Data nadFor: \'namespace\' is not a DNS-1123 label of at most 63 characters: got 5; use a valid namespace name (lowercase letters, digits and "-")',
  },
  // ----- NetworkPlugin factories -----
  {
    name: 'NetworkPlugin.macvlan: no options',
    call: () => NetworkPlugin.macvlan(any(undefined)),
    error: 'NetworkPlugin.macvlan(): \'props\' must be an object of NetworkPlugin.macvlan options: got nothing; pass an object such as { uplink: ..., mode: ... }',
  },
  {
    name: 'NetworkPlugin.macvlan: uplink a number',
    call: () => NetworkPlugin.macvlan(any({ uplink: 5 })),
    error: 'NetworkPlugin.macvlan(): \'uplink\' must be an interface name: got 5; write an interface name such as eth1',
  },
  {
    name: 'NetworkPlugin.macvlan: master for uplink',
    call: () => NetworkPlugin.macvlan(any({ master: 'eth1' })),
    error: 'NetworkPlugin.macvlan(): 2 problems:\n  \'master\' is not a prop of NetworkPlugin.macvlan options: got "eth1"; write it as \'uplink\'\n  \'uplink\' is required: got nothing; name the host interface, e.g. uplink: "eth1"',
  },
  {
    name: 'NetworkPlugin.macvlan: mtu 1e6',
    call: () => NetworkPlugin.macvlan(any({ uplink: 'eth1', mtu: 1e6 })),
    error: 'NetworkPlugin.macvlan(): \'mtu\' is out of range: must be an integer from 68 to 65535: got 1000000; write a value from 68 to 65535',
  },
  {
    name: 'NetworkPlugin.macvlan: mode by enum key',
    call: () => NetworkPlugin.macvlan(any({ uplink: 'eth1', mode: 'BRIDGE' })),
    error: 'NetworkPlugin.macvlan(): \'mode\' must be one of "bridge", "private", "vepa", "passthru": got "BRIDGE"; use a value of MacvlanMode: one of "bridge", "private", "vepa", "passthru"',
  },
  {
    name: 'NetworkPlugin.ipvlan: uplink with a slash',
    call: () => NetworkPlugin.ipvlan(any({ uplink: 'eth1/x' })),
    error: 'NetworkPlugin.ipvlan(): \'uplink\' contains \'/\', \':\' or whitespace: got "eth1/x"; remove them: Linux interface names cannot contain these characters',
  },
  {
    name: 'NetworkPlugin.vlan: vlanId 5000',
    call: () => NetworkPlugin.vlan(any({ uplink: 'eth1', vlanId: 5000 })),
    error: 'NetworkPlugin.vlan(): \'vlanId\' is out of range: must be an integer from 0 to 4094: got 5000; write a value from 0 to 4094',
  },
  {
    name: 'NetworkPlugin.vlan: vlan for vlanId',
    call: () => NetworkPlugin.vlan(any({ uplink: 'eth1', vlan: 5 })),
    error: 'NetworkPlugin.vlan(): 2 problems:\n  \'vlan\' is not a prop of NetworkPlugin.vlan options: got 5; write it as \'vlanId\'\n  \'vlanId\' is required: got nothing; give the VLAN id, 0 to 4094',
  },
  {
    name: 'NetworkPlugin.bridge: vlan NaN',
    call: () => NetworkPlugin.bridge(any({ vlan: NaN })),
    error: 'NetworkPlugin.bridge(): \'vlan\' must be an integer from 0 to 4094: got NaN; write a finite number, not NaN',
  },
  {
    name: 'NetworkPlugin.sriov: master and mode',
    call: () => NetworkPlugin.sriov(any({ resourceName: 'intel.com/sriov', master: 'eth1', mode: 'bridge' })),
    error: 'NetworkPlugin.sriov(): 2 problems:\n  \'master\' is not a prop of NetworkPlugin.sriov options: got "eth1"; remove it: the VF (and its PF) come from the device plugin resource named by resourceName\n  \'mode\' is not a prop of NetworkPlugin.sriov options: got "bridge"; remove it: sriov has no mode (the VF is moved into the pod as it is)',
  },
  {
    name: 'NetworkPlugin.ovs: no bridge',
    call: () => NetworkPlugin.ovs(any({})),
    error: 'NetworkPlugin.ovs(): \'bridge\' is required: got nothing; name the OVS bridge, e.g. "br-data"',
  },
  {
    name: 'NetworkPlugin.hostDevice: device a number',
    call: () => NetworkPlugin.hostDevice(any({ device: 7 })),
    error: 'NetworkPlugin.hostDevice(): \'device\' must be an interface name: got 7; write an interface name such as eth1',
  },
  // ----- NetworkAttachmentDefinition, ExternalNetwork -----
  {
    name: 'NAD: config a plain object',
    call: () => new NetworkAttachmentDefinition(chart(), 'Nad', any({ config: {} })),
    error: 'NetworkAttachmentDefinition test/Nad: \'config\' must be a CniConfig: got {}; build it with CniConfig.list([...]) or CniConfig.fromJson(text), not a plain object or string',
  },
  {
    name: 'NAD: config JSON text',
    call: () => new NetworkAttachmentDefinition(chart(), 'Nad', any({ config: '{"cniVersion":"1.0.0"}' })),
    error: 'NetworkAttachmentDefinition test/Nad: \'config\' must be a CniConfig: got "{\\"cniVersion\\":\\"1.0.0\\"}"; build it with CniConfig.list([...]) or CniConfig.fromJson(text), not a plain object or string',
  },
  {
    name: 'NAD: metadata a string',
    call: () => new NetworkAttachmentDefinition(chart(), 'Nad', any({ metadata: 'data' })),
    error: 'NetworkAttachmentDefinition test/Nad: \'metadata\' must be an object of ApiObjectMetadata: got "data"; pass an object such as { name: ..., namespace: ... }, not a string',
  },
  {
    name: 'NAD: metadata.name a number',
    call: () => new NetworkAttachmentDefinition(chart(), 'Nad', any({ metadata: { name: 5 } })),
    error: 'NetworkAttachmentDefinition test/Nad: \'metadata.name\' must be a non-empty string: got 5; write a non-empty string, not a number',
  },
  {
    name: 'NAD: an annotation value a number',
    call: () => new NetworkAttachmentDefinition(chart(), 'Nad', any({ metadata: { annotations: { a: 1 } } })),
    error: 'NetworkAttachmentDefinition test/Nad: \'metadata.annotations.a\' must be a string: got 1; write a string, not a number',
  },
  {
    name: 'NAD: resourceName a number',
    call: () => new NetworkAttachmentDefinition(chart(), 'Nad', any({ resourceName: 5 })),
    error: 'NetworkAttachmentDefinition test/Nad: \'resourceName\' must be a non-empty string: got 5; write a non-empty string, not a number',
  },
  {
    name: 'NAD: name at the top',
    call: () => new NetworkAttachmentDefinition(chart(), 'Nad', any({ name: 'data' })),
    error: 'NetworkAttachmentDefinition test/Nad: \'name\' is not a prop of NetworkAttachmentDefinitionProps: got "data"; write it as metadata: { name }',
  },
  {
    name: 'ExternalNetwork: no props',
    call: () => new ExternalNetwork(chart(), 'Ext', any(undefined)),
    error: 'ExternalNetwork test/Ext: \'props\' must be an object of ExternalNetworkProps: got nothing; pass an object such as { name: ..., namespace: ... }',
  },
  {
    name: 'ExternalNetwork: namespace missing',
    call: () => new ExternalNetwork(chart(), 'Ext', any({ name: 'data' })),
    error: 'ExternalNetwork test/Ext: \'namespace\' is required: got nothing; give the namespace the NAD lives in',
  },
  {
    name: 'ExternalNetwork: namespace a number',
    call: () => new ExternalNetwork(chart(), 'Ext', any({ name: 'data', namespace: 5 })),
    error: 'ExternalNetwork test/Ext: \'namespace\' must be a non-empty string: got 5; write a non-empty string, not a number',
  },
  {
    name: 'ExternalNetwork: resourceName with spaces',
    call: () => new ExternalNetwork(chart(), 'Ext', any({ name: 'data', namespace: 'core', resourceName: 'intel sriov' })),
    error: 'ExternalNetwork test/Ext: \'resourceName\' is not an extended resource name: got "intel sriov"; write vendor-domain/resource, e.g. "intel.com/sriov_netdevice"',
  },
  // ----- CniConfig -----
  {
    name: 'CniConfig.list: plugins a string',
    call: () => CniConfig.list(any('macvlan')),
    error: 'CniConfig.list: \'plugins\' must be a list, each item a CNI plugin object: got "macvlan"; write a list such as ["macvlan"], not a string (a string is not a list)',
  },
  {
    name: 'CniConfig.list: a plugin as JSON',
    call: () => CniConfig.list(any([{ type: 'macvlan', master: 'eth1' }])),
    error: 'CniConfig.list: \'plugins[0]\' must be a CNI plugin object: got {"type":"macvlan","master":"eth1"}; build it with a plugin class such as new MacvlanPlugin({...}), or parse JSON with CniConfig.fromJson',
  },
  {
    name: 'CniConfig.list: format in the options',
    call: () => CniConfig.list([macvlan()], any({ format: 'single' })),
    error: 'CniConfig.list: \'format\' is not a prop of CniConfig.list options: got "single"; remove it; the props of CniConfig.list options are \'name\', \'cniVersion\', \'cniVersions\', \'profile\', \'disableCheck\', \'disableGC\'',
  },
  {
    name: 'CniConfig.list: disableCheck a string',
    call: () => CniConfig.list([macvlan()], any({ disableCheck: 'yes' })),
    error: 'CniConfig.list: \'disableCheck\' must be true or false: got "yes"; write true or false, not a string',
  },
  {
    name: 'CniConfig.list: profile by name',
    call: () => CniConfig.list([macvlan()], any({ profile: 'DEBIAN_1_1_1' })),
    error: 'CniConfig.list: \'profile\' must be a PluginsProfile: got "DEBIAN_1_1_1"; use a PluginsProfile such as PluginsProfile.UPSTREAM',
  },
  {
    name: 'CniConfig.list: cniVersions a string',
    call: () => CniConfig.list([macvlan()], any({ cniVersions: '1.0.0' })),
    error: 'CniConfig.list: \'cniVersions\' must be a list, each item a CniVersion: got "1.0.0"; write a list such as ["1.0.0"], not a string (a string is not a list)',
  },
  {
    name: 'CniConfig: plugins a string',
    call: () => new CniConfig(any({ plugins: 'macvlan' })),
    error: 'CNI config: \'plugins\' must be a list, each item a CNI plugin object: got "macvlan"; write a list such as ["macvlan"], not a string (a string is not a list)',
  },
  {
    name: 'CniConfig.single: a list of plugins',
    call: () => CniConfig.single(any([macvlan()])),
    error: 'CniConfig.single: \'plugin\' must be a CNI plugin object: got [{"spec":{"type":"macvlan","project":"containernetworking-plugins","role":"interface","ipam":"optional","dns":true,"consumes":["mac"],"fields":{"master":{"key":"master","type":{"description":"an in...; build it with a plugin class such as new MacvlanPlugin({...}), or parse JSON with CniConfig.fromJson',
  },
  {
    name: 'CniConfig.addPlugin: a name',
    call: () => CniConfig.list([macvlan()]).addPlugin(any('tuning')),
    error: 'CNI config addPlugin: \'plugin\' must be a CNI plugin object: got "tuning"; build it with a plugin class such as new MacvlanPlugin({...}), or parse JSON with CniConfig.fromJson',
  },
  // ----- plugins and IPAMs -----
  {
    name: 'SriovPlugin: master and mode',
    call: () => new SriovPlugin(any({ master: 'eth1', mode: 'bridge' })),
    error: 'sriov plugin: 2 problems:\n  \'master\' is not a prop of the sriov plugin: got "eth1"; remove it: sriov-cni takes the VF (and so its PF) from the device plugin; name the resource with the NetworkAttachmentDefinition resourceName (NetworkPlugin.sriov({ resourceName }))\n  \'mode\' is not a prop of the sriov plugin: got "bridge"; remove it: sriov-cni has no mode (the VF is moved into the pod as it is); set vlan, spoofchk or trust instead',
  },
  {
    name: 'MacvlanPlugin: props a string',
    call: () => new MacvlanPlugin(any('eth1')),
    error: 'macvlan plugin: \'props\' must be an object of the macvlan plugin: got "eth1"; pass an object such as { master: ..., mode: ... }, not a string',
  },
  {
    name: 'MacvlanPlugin: Mode in the wrong case',
    call: () => new MacvlanPlugin(any({ master: 'eth1', Mode: 'bridge' })),
    error: 'macvlan plugin: \'Mode\' is not a prop of the macvlan plugin: got "bridge"; write it as \'mode\' (props are case-sensitive)',
  },
  {
    name: 'MacvlanPlugin: mtu NaN',
    call: () => new MacvlanPlugin(any({ master: 'eth1', mtu: NaN })),
    error: 'macvlan plugin: \'mtu\' must be an integer from 68 to 65535: got NaN; write an integer from 68 to 65535 as a JSON number',
  },
  {
    name: 'MacvlanPlugin: uplinkMtu a string',
    call: () => new MacvlanPlugin(any({ master: 'eth1', uplinkMtu: '9000' })),
    error: 'macvlan plugin: \'uplinkMtu\' must be an integer from 68 to 65535: got "9000"; write an integer from 68 to 65535 as a JSON number',
  },
  {
    name: 'BridgePlugin: capabilities a string',
    call: () => new BridgePlugin(any({ capabilities: 'ips' })),
    error: 'bridge plugin: \'capabilities\' must be a list, each item a non-empty string: got "ips"; write a list such as ["ips"], not a string (a string is not a list)',
  },
  {
    name: 'BridgePlugin: ipam as JSON',
    call: () => new BridgePlugin(any({ ipam: { type: 'host-local', subnet: '10.1.0.0/24' } })),
    error: 'bridge plugin: \'ipam\' must be an IPAM object (e.g. new HostLocalIpam({...})): got {"type":"host-local","subnet":"10.1.0.0/24"}; build it with an IPAM class such as HostLocalIpam, StaticIpam or WhereaboutsIpam',
  },
  {
    name: 'BridgePlugin: args a string',
    call: () => new BridgePlugin(any({ args: 'x' })),
    error: 'bridge plugin: \'args\' must be a JSON object: got "x"; write args as { "cni": { ... } }',
  },
  {
    name: 'BridgePlugin: dns nameservers a string',
    call: () => new BridgePlugin(any({ dns: { nameservers: '10.0.0.53' } })),
    error: 'bridge plugin: \'dns.nameservers\' must be a list of an IP address: got "10.0.0.53"; write a JSON array',
  },
  {
    name: 'StaticIpam: an address with gw',
    call: () => new StaticIpam(any({ addresses: [{ address: '10.1.0.5/24', gw: '10.1.0.1' }] })),
    error: 'static IPAM: \'addresses[0].gw\' is not a field of an address {address, gateway}: got "10.1.0.1"; remove it; the fields are \'address\', \'gateway\'',
  },
  {
    name: 'StaticIpam: props a string',
    call: () => new StaticIpam(any('10.1.0.5/24')),
    error: 'static IPAM: \'props\' must be an object of the static IPAM: got "10.1.0.5/24"; pass an object such as { addresses: ..., routes: ... }, not a string',
  },
  {
    name: 'HostLocalIpam: ranges a string',
    call: () => new HostLocalIpam(any({ ranges: '10.1.0.0/24' })),
    error: 'host-local IPAM: \'ranges\' must be a list of a list of a range {subnet, rangeStart, rangeEnd, gateway}: got "10.1.0.0/24"; write a JSON array',
  },
  {
    name: 'HostLocalIpam: a key of whereabouts',
    call: () => new HostLocalIpam(any({ subnet: '10.1.0.0/24', range: '10.1.0.0/24' })),
    error: 'host-local IPAM: \'range\' is not a prop of the host-local IPAM: got "10.1.0.0/24"; remove it; the props of the host-local IPAM are \'ranges\', \'subnet\', \'rangeStart\', \'rangeEnd\', \'gateway\', \'routes\', \'dataDir\', \'resolvConf\'',
  },
  {
    name: 'WhereaboutsIpam: range a number',
    call: () => new WhereaboutsIpam(any({ range: 5 })),
    error: 'whereabouts IPAM: \'range\' must be a CIDR or a first-last/prefix range: got 5; write a range such as 10.1.0.0/24 or 10.1.0.10-10.1.0.50/24',
  },
  {
    name: 'DhcpIpam: an unknown key',
    call: () => new DhcpIpam(any({ server: '10.1.0.1' })),
    error: 'dhcp IPAM: \'server\' is not a prop of the dhcp IPAM: got "10.1.0.1"; remove it; the props of the dhcp IPAM are \'daemonSocketPath\', \'request\', \'provide\', \'priority\'',
  },
  {
    name: 'UncheckedPlugin: raw a string',
    call: () => new UncheckedPlugin('vendor-cni', any('{}')),
    error: 'unchecked plugin: \'raw\' must be a JSON object: got "{}"; pass the rest of the plugin object as { key: value }',
  },
  {
    name: 'UncheckedPlugin: role middle',
    call: () => new UncheckedPlugin('vendor-cni', {}, any('middle')),
    error: 'unchecked plugin: \'role\' must be one of "interface", "chained": got "middle"; use a PluginRole value',
  },
  {
    name: 'UncheckedIpam: raw a list',
    call: () => new UncheckedIpam('vendor-ipam', any([1])),
    error: 'unchecked IPAM: \'raw\' must be a JSON object: got [1]; pass the rest of the IPAM object as { key: value }',
  },
  {
    name: 'FlannelBackend.vxlan: the wire key VNI',
    call: () => FlannelBackend.vxlan(any({ VNI: 4096 })),
    error: 'FlannelBackend.vxlan: \'VNI\' is not a prop of FlannelVxlanOptions: got 4096; write it as \'vni\' (props are case-sensitive)',
  },
  {
    name: 'FlannelBackend.ipsec: no psk',
    call: () => FlannelBackend.ipsec(any({})),
    error: 'FlannelBackend.ipsec: \'psk\' is required: got nothing; give the pre-shared key',
  },
  {
    name: 'HostLocalIpam.subnet: subnet a number',
    call: () => HostLocalIpam.subnet(any(10)),
    error: 'HostLocalIpam.subnet: \'subnet\' must be a non-empty string: got 10; write a non-empty string, not a number',
  },
  {
    name: 'HostLocalIpam.subnet: options a string',
    call: () => HostLocalIpam.subnet('10.1.0.0/24', any('10.1.0.1')),
    error: 'HostLocalIpam.subnet: \'opts\' must be an object literal { ... }: got "10.1.0.1"; pass the options as an object, not a string',
  },
  {
    name: 'StaticIpam.address: options a string',
    call: () => StaticIpam.address('10.1.0.5/24', any('10.1.0.1')),
    error: 'StaticIpam.address: \'opts\' must be an object literal { ... }: got "10.1.0.1"; pass the options as an object, not a string',
  },
  {
    name: 'WhereaboutsIpam.range: range a list',
    call: () => WhereaboutsIpam.range(any(['10.1.0.0/24'])),
    error: 'WhereaboutsIpam.range: \'range\' must be a non-empty string: got ["10.1.0.0/24"]; write a non-empty string, not a list',
  },
  {
    name: 'PluginsProfile.custom: an unknown key',
    call: () => PluginsProfile.custom(any({ name: 'nodes', cniPlugins: '1.1.1', multus: '4.1.0' })),
    error: 'PluginsProfile: \'multus\' is not a prop of PluginsProfileProps: got "4.1.0"; remove it; the props of PluginsProfileProps are \'name\', \'cniPlugins\', \'sriovCni\', \'ovsCni\', \'bondCni\', \'whereabouts\', \'routeOverride\'',
  },
  {
    name: 'PluginsProfile.custom: a version a number',
    call: () => PluginsProfile.custom(any({ name: 'nodes', cniPlugins: 1.1 })),
    error: '\'cniPlugins\' is not a semantic version: got 1.1; write a release such as 1.1.1',
  },
  // ----- MultiNetworkPolicy -----
  {
    name: 'MultiNetworkPolicy: no props',
    call: () => new MultiNetworkPolicy(chart(), 'P', any(undefined)),
    error: 'MultiNetworkPolicy test/P: \'props\' must be an object of MultiNetworkPolicyProps: got nothing; pass an object such as { metadata: ..., networks: ... }',
  },
  {
    name: 'MultiNetworkPolicy: networks a string',
    call: policy({ networks: 'data' }),
    error: 'MultiNetworkPolicy test/P: \'networks\' must be a list, each item a NetworkAttachmentDefinition, a Network, or { name, namespace }: got "data"; write a list such as ["data"], not a string (a string is not a list)',
  },
  {
    name: 'MultiNetworkPolicy: a network a number',
    call: policy({ networks: [5] }),
    error: 'MultiNetworkPolicy test/P: \'networks[0]\' must be a NetworkAttachmentDefinition, a Network, or { name, namespace }: got 5; pass the NAD or Network construct, or { name: "<nad>", namespace: "<ns>" } for a NAD outside the App',
  },
  {
    name: 'MultiNetworkPolicy: an external network with nad',
    call: policy({ networks: [{ name: 'data', namespace: 'core', nad: true }] }),
    error: 'MultiNetworkPolicy test/P: \'networks[0].nad\' is not a prop of ExternalPolicyNetwork: got true; remove it; the props of ExternalPolicyNetwork are \'name\', \'namespace\'',
  },
  {
    name: 'MultiNetworkPolicy: target a name',
    call: policy({ target: 'app' }),
    error: 'MultiNetworkPolicy test/P: \'target\' must be a network function, a cdk8s-plus workload or pod selector, or a PolicyLabelSelector: got "app"; pass the NetworkFunction or workload construct, or PolicyLabelSelector.labels({...})',
  },
  {
    name: 'MultiNetworkPolicy: ingress an object',
    call: policy({ ingress: { peer: MultiNetworkPolicyPeer.any() } }),
    error: 'MultiNetworkPolicy test/P: \'ingress\' must be a list, each item an object of MultiNetworkPolicyRule: got {"peer":{"def":{"kind":"any"}}}; write a list [...], not an object',
  },
  {
    name: 'MultiNetworkPolicy: a rule peer by name',
    call: policy({ ingress: [{ peer: 'any' }] }),
    error: 'MultiNetworkPolicy test/P: \'ingress[0].peer\' must be a MultiNetworkPolicyPeer: got "any"; build it with MultiNetworkPolicyPeer.pods(...), .namespaceNamed(...), .ipBlock(...) or .any()',
  },
  {
    name: 'MultiNetworkPolicy: a rule port a number',
    call: policy({ ingress: [{ peer: MultiNetworkPolicyPeer.any(), ports: [80] }] }),
    error: 'MultiNetworkPolicy test/P: \'ingress[0].ports[0]\' must be a MultiNetworkPolicyPort: got 80; build it with MultiNetworkPolicyPort.tcp(port), .udp(port) or .of({...})',
  },
  {
    name: 'MultiNetworkPolicy: isolate by enum key',
    call: policy({ isolate: 'INGRESS' }),
    error: 'MultiNetworkPolicy test/P: \'isolate\' must be one of "ingress", "egress", "both": got "INGRESS"; use a value of MultiNetworkPolicyIsolation: one of "ingress", "egress", "both"',
  },
  {
    name: 'MultiNetworkPolicy.denyAll: network for networks',
    call: () => { const { c, net } = fixture(); return MultiNetworkPolicy.denyAll(c, 'P', any({ network: net })); },
    error: 'MultiNetworkPolicy test/P: 2 problems:\n  \'network\' is not a prop of MultiNetworkPolicyBaseProps: got test/Data; write it as \'networks\' (a list)\n  \'networks\' is required: got nothing; list the NetworkAttachmentDefinitions the policy is for',
  },
  {
    name: 'MultiNetworkPolicy.allowIngressOnlyFrom: no from',
    call: () => { const { c, net } = fixture(); return MultiNetworkPolicy.allowIngressOnlyFrom(c, 'P', any({ networks: [net] })); },
    error: 'MultiNetworkPolicy test/P: \'from\' is required: got nothing; list the peers whose traffic may come in',
  },
  {
    name: 'MultiNetworkPolicy.addIngressRule: a peer by name',
    call: () => { const { c, net } = fixture(); return new MultiNetworkPolicy(c, 'P', { networks: [net] }).addIngressRule(any('any')); },
    error: 'MultiNetworkPolicy test/P addIngressRule: \'peer\' must be a MultiNetworkPolicyPeer: got "any"; build it with MultiNetworkPolicyPeer.pods(...), .namespaceNamed(...), .ipBlock(...) or .any()',
  },
  {
    name: 'MultiNetworkPolicyPort.of: port a string',
    call: () => MultiNetworkPolicyPort.of(any({ port: '80' })),
    error: 'MultiNetworkPolicyPort: \'port\' must be an integer from 1 to 65535: got "80"; use a port number such as 8805',
  },
  {
    name: 'MultiNetworkPolicyPort.tcp: NaN',
    call: () => MultiNetworkPolicyPort.tcp(NaN),
    error: 'MultiNetworkPolicyPort: \'port\' must be an integer from 1 to 65535: got NaN; use a port number such as 8805',
  },
  {
    name: 'MultiNetworkPolicyPort.of: protocol http',
    call: () => MultiNetworkPolicyPort.of(any({ protocol: 'http' })),
    error: 'MultiNetworkPolicyPort: \'protocol\' must be one of "TCP", "UDP", "SCTP": got "http"; use a value of MultiNetworkPolicyProtocol: one of "TCP", "UDP", "SCTP"',
  },
  {
    name: 'PolicyLabelExpression.in: key a number',
    call: () => PolicyLabelExpression.in(any(5), ['a']),
    error: 'PolicyLabelExpression: \'matchExpressions.key\' must be a string: got 5; write a label key such as "app.kubernetes.io/name"',
  },
  {
    name: 'PolicyLabelExpression.in: values a string',
    call: () => PolicyLabelExpression.in('app', any('a')),
    error: 'PolicyLabelExpression: \'matchExpressions.values\' must be a list of label values: got "a"; write ["a"], not a string',
  },
  {
    name: 'PolicyLabelSelector.of: labels a string',
    call: () => PolicyLabelSelector.of(any({ labels: 'app=x' })),
    error: 'PolicyLabelSelector: \'labels\' must be an object whose values are each a string: got "app=x"; write an object { key: value }, not a string',
  },
  {
    name: 'MultiNetworkPolicyPeer.ipBlock: except a string',
    call: () => MultiNetworkPolicyPeer.ipBlock('10.0.0.0/8', any('10.1.0.0/16')),
    error: 'MultiNetworkPolicyPeer.ipBlock: \'except\' must be a list, each item a non-empty string: got "10.1.0.0/16"; write a list such as ["10.1.0.0/16"], not a string (a string is not a list)',
  },
  {
    name: 'MultiNetworkPolicyPeer.ipBlock: cidr a number',
    call: () => MultiNetworkPolicyPeer.ipBlock(any(5)),
    error: 'MultiNetworkPolicyPeer.ipBlock: \'cidr\' must be a non-empty string: got 5; write a non-empty string, not a number',
  },
  {
    name: 'MultiNetworkPolicyPeer.pods: a name',
    call: () => MultiNetworkPolicyPeer.pods(any('app')),
    error: 'MultiNetworkPolicyPeer.pods: \'selection\' must be a network function, a cdk8s-plus workload or pod selector, or a PolicyLabelSelector: got "app"; pass the NetworkFunction or workload construct, or PolicyLabelSelector.labels({...})',
  },
  // ----- installers -----
  {
    name: 'installers: Multus namespace a number',
    call: () => new Multus(chart(), 'Multus', any({ namespace: 5 })),
    error: 'Multus test/Multus: \'namespace\' must be a non-empty string: got 5; write a non-empty string, not a number',
  },
  {
    name: 'installers: Multus image a string',
    call: () => new Multus(chart(), 'Multus', any({ image: 'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.2.2' })),
    error: 'Multus test/Multus: \'image\' must be a ContainerImage: got "ghcr.io/k8snetworkplumbingwg/multus-cni:v4.2.2"; build it with ContainerImage.of("registry/repository:tag"), not a string',
  },
  {
    name: 'installers: Multus tolerations an object',
    call: () => new Multus(chart(), 'Multus', any({ tolerations: { operator: 'Exists' } })),
    error: 'Multus test/Multus: \'tolerations\' must be a list, each item a JSON object: got {"operator":"Exists"}; write a list [...], not an object',
  },
  {
    name: 'installers: Multus terminationGracePeriodSeconds NaN',
    call: () => new Multus(chart(), 'Multus', any({ terminationGracePeriodSeconds: NaN })),
    error: 'Multus test/Multus: \'terminationGracePeriodSeconds\' must be an integer from 0 to 2147483647: got NaN; write a finite number, not NaN',
  },
  {
    name: 'installers: Whereabouts nodeSelector a string',
    call: () => new Whereabouts(chart(), 'Whereabouts', any({ nodeSelector: 'kubernetes.io/os=linux' })),
    error: 'Whereabouts test/Whereabouts: \'nodeSelector\' must be an object whose values are each a string: got "kubernetes.io/os=linux"; write an object { key: value }, not a string',
  },
  {
    name: 'installers: Calico mtu Infinity',
    call: () => new Calico(chart(), 'Calico', any({ mtu: Infinity })),
    error: 'Calico test/Calico: \'mtu\' must be an integer from 68 to 65535: got Infinity; write a finite number, not Infinity',
  },
  {
    name: 'installers: CniPlugins plugins a string',
    call: () => new CniPlugins(chart(), 'CniPlugins', any({ plugins: 'bridge' })),
    error: 'CniPlugins test/CniPlugins: \'plugins\' must be a list, each item a non-empty string: got "bridge"; write a list such as ["bridge"], not a string (a string is not a list)',
  },
  {
    name: 'installers: NodeAgentDaemonSet without name',
    call: () => new NodeAgentDaemonSet(chart(), 'Agent', any({ hostNetwork: true })),
    error: 'NodeAgentDaemonSet test/Agent: \'name\' is required: got nothing; name the DaemonSet',
  },
  {
    name: 'installers: PreinstalledCniPlugins types a string',
    call: () => new PreinstalledCniPlugins(chart(), 'Plugins', any({ types: 'bridge,macvlan' })),
    error: 'PreinstalledCniPlugins test/Plugins: \'types\' must be a list, each item a non-empty string: got "bridge,macvlan"; write a list such as ["bridge,macvlan"], not a string (a string is not a list)',
  },
  {
    name: 'ContainerImage.of: a number',
    call: () => ContainerImage.of(any(5)),
    error: 'ContainerImage.of: \'reference\' must be a non-empty string: got 5; write a non-empty string, not a number',
  },
  {
    name: 'ContainerImage: an unknown key',
    call: () => new ContainerImage(any({ repository: 'k8snetworkplumbingwg/multus-cni', tag: 'v4.2.2', pullPolicy: 'Always' })),
    error: 'ContainerImage: \'pullPolicy\' is not a prop of ContainerImageProps: got "Always"; remove it; the props of ContainerImageProps are \'registry\', \'repository\', \'tag\', \'digest\'',
  },
  {
    name: 'CniPluginsSource.release: misspelt version',
    call: () => CniPluginsSource.release(any({ versoin: '1.9.1' })),
    error: 'CniPluginsSource.release: \'versoin\' is not a prop of CniPluginsSource.release options: got "1.9.1"; remove it; the props of CniPluginsSource.release options are \'version\', \'baseUrl\', \'sha256\', \'image\'',
  },
  {
    name: 'CniPluginsSource.release: options a string',
    call: () => CniPluginsSource.release(any('1.9.1')),
    error: 'CniPluginsSource.release: \'props\' must be an object of CniPluginsSource.release options: got "1.9.1"; pass an object such as { version: ..., baseUrl: ... }, not a string',
  },
  {
    name: 'Toleration.exists: tolerationSeconds NaN',
    call: () => Toleration.exists(any({ tolerationSeconds: NaN })),
    error: 'Toleration.exists: \'tolerationSeconds\' must be an integer of at least 0: got NaN; write a finite number, not NaN',
  },
  {
    name: 'Toleration.exists: effect lowercase',
    call: () => Toleration.exists(any({ effect: 'noSchedule' })),
    error: 'Toleration.exists: \'effect\' must be one of "NoSchedule", "PreferNoSchedule", "NoExecute": got "noSchedule"; use a value of TaintEffect: one of "NoSchedule", "PreferNoSchedule", "NoExecute"',
  },
  {
    name: 'UpdateStrategy.rollingUpdate: maxUnavailable NaN',
    call: () => UpdateStrategy.rollingUpdate(any({ maxUnavailable: NaN })),
    error: 'UpdateStrategy.rollingUpdate: \'maxUnavailable\' must be an integer of at least 0: got NaN; write a finite number, not NaN',
  },
  {
    name: 'UpdateStrategy.rollingUpdate: maxSurge 10 percent without %',
    call: () => UpdateStrategy.rollingUpdate(any({ maxSurge: '10' })),
    error: 'UpdateStrategy.rollingUpdate: \'maxSurge\' must be a string matching a percentage such as "10%": got "10"; write a string matching a percentage such as "10%"',
  },
  {
    name: 'UpdateStrategy.rollingUpdate: an unknown key',
    call: () => UpdateStrategy.rollingUpdate(any({ max: 1 })),
    error: 'UpdateStrategy.rollingUpdate: \'max\' is not a prop of UpdateStrategy.rollingUpdate options: got 1; remove it; the props of UpdateStrategy.rollingUpdate options are \'maxUnavailable\', \'maxSurge\'',
  },
  {
    name: 'NodeAgentSecurity.capabilities: a string',
    call: () => NodeAgentSecurity.capabilities(any('NET_ADMIN')),
    error: 'NodeAgentSecurity.capabilities: \'add\' must be a list, each item a non-empty string: got "NET_ADMIN"; write a list such as ["NET_ADMIN"], not a string (a string is not a list)',
  },
  {
    name: 'IpAutodetectionMethod.canReach: a number',
    call: () => IpAutodetectionMethod.canReach(any(5)),
    error: 'IpAutodetectionMethod.canReach: \'destination\' must be a non-empty string: got 5; write a non-empty string, not a number',
  },
  {
    name: 'IpAutodetectionMethod.cidr: nothing',
    call: () => IpAutodetectionMethod.cidr(),
    error: 'IpAutodetectionMethod.cidr: \'cidrs\' needs at least 1 item: got []; add an item',
  },
  {
    name: 'KubeRouterKubeconfig.hostPath: a relative path',
    call: () => KubeRouterKubeconfig.hostPath('var/lib/kube-router'),
    error: 'KubeRouterKubeconfig.hostPath: \'dir\' must be a string matching an absolute path: got "var/lib/kube-router"; write a string matching an absolute path',
  },
  {
    name: 'PrimaryNetwork.custom: numbers',
    call: () => PrimaryNetwork.custom(any(5), any(6)),
    error: 'PrimaryNetwork.custom: \'name\' must be a non-empty string: got 5; write a non-empty string, not a number',
  },
  {
    name: 'CiliumTls.fromPem: a string',
    call: () => CiliumTls.fromPem(any('-----BEGIN CERTIFICATE-----')),
    error: 'CiliumTls.fromPem: \'props\' must be an object of CiliumTls.fromPem options: got "-----BEGIN CERTIFICATE-----"; pass an object such as { caCrt: ..., caKey: ... }, not a string',
  },
  {
    name: 'PriorityClass.of: a number',
    call: () => PriorityClass.of(any(5)),
    error: 'PriorityClass.of: \'name\' must be a non-empty string: got 5; write a non-empty string, not a number',
  },
  {
    name: 'EnvEntry.value: a number name',
    call: () => EnvEntry.value(any(5), '1'),
    error: 'EnvEntry.value: \'name\' must be a non-empty string: got 5; write a non-empty string, not a number',
  },
  // ----- ReachabilityExpectation -----
  {
    name: 'ReachabilityExpectation.mustReach: from a name',
    call: () => { const { net, fn } = fixture(); return ReachabilityExpectation.mustReach(any('fn'), fn, net); },
    error: 'ReachabilityExpectation.mustReach: \'from\' must be a NetworkFunction construct: got "fn"; pass the NetworkFunction itself, not its name',
  },
  {
    name: 'ReachabilityExpectation.mustReach: network a name',
    call: () => { const { fn, fn2 } = fixture(); return ReachabilityExpectation.mustReach(fn, fn2, any('data')); },
    error: 'ReachabilityExpectation.mustReach: \'network\' must be a Network, NetworkAttachmentDefinition or ExternalNetwork construct: got "data"; pass the construct itself, not its name (declare a NAD outside the App with new ExternalNetwork(...))',
  },
  {
    name: 'ReachabilityExpectation.mustReach: bidirectional a string',
    call: () => { const { net, fn, fn2 } = fixture(); return ReachabilityExpectation.mustReach(fn, fn2, net, any({ bidirectional: 'yes' })); },
    error: 'ReachabilityExpectation.mustReach: \'bidirectional\' must be true or false: got "yes"; write true or false, not a string',
  },
  {
    name: 'ReachabilityExpectation: expect unknown',
    call: () => { const { fn, fn2 } = fixture(); return new ReachabilityExpectation(fn, 'X', any({ from: fn, to: fn2, expect: 'reach!' })); },
    error: 'ReachabilityExpectation test/Fn/X: \'expect\' must be one of "reach", "isolated": got "reach!"; use a value of Reachability: one of "reach", "isolated"',
  },
];

