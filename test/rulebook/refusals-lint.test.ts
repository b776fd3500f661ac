import { Chart, Testing } from 'cdk8s';
import { LintFinding, lintObjects } from '../../lib/cli/lint';
import { ManifestObject } from '../../lib/cli/manifests';
import { CniConfig } from '../../lib/cni/config';
import { HostLocalIpam } from '../../lib/cni/ipam/host-local';
import { StaticIpam } from '../../lib/cni/ipam/static';
import { BridgePlugin } from '../../lib/cni/plugins/bridge';
import { SriovPlugin } from '../../lib/cni/plugins/sriov';
import { Severity } from '../../lib/cni/problem';
import { PluginsProfile } from '../../lib/cni/profile';
import { PreinstalledCniPlugins } from '../../lib/installers/inventory';
import { IpamMode, Network, NetworkPlugin } from '../../lib/network';
import { NetworkAttachmentDefinition } from '../../lib/network-attachment-definition';
import { NetworkFunction } from '../../lib/network-function';

/**
 * Everything the constructs refuse, lint flags (issue 14 item 4): each row is a refusal of the
 * constructs (a throw, or a synth error) and the same thing written as manifests, which lint must
 * report with the same rule: the same message, on the field of the manifest that says it.
 */

const IMAGE = 'docker.io/library/busybox:1.37';
const NETWORKS = 'k8s.v1.cni.cncf.io/networks';

function chart(): Chart {
  const c = new Chart(Testing.app(), 'c', { namespace: 'core' });
  PreinstalledCniPlugins.fromProfile(c, 'Plugins', PluginsProfile.UPSTREAM);
  return c;
}

const fn = (c: Chart, id: string, replicas?: number) => new NetworkFunction(c, id, { replicas, containers: [{ name: id.toLowerCase(), image: IMAGE }] });

function nad(name: string, config: object, annotations?: Record<string, string>): object {
  return { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name, namespace: 'core', ...(annotations ? { annotations } : {}) }, spec: { config: JSON.stringify({ cniVersion: '1.0.0', name, ...config }) } };
}

function deployment(name: string, networks: object[], replicas = 1): object {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'core' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name }, annotations: { [NETWORKS]: JSON.stringify(networks) } }, spec: { containers: [{ name, image: IMAGE }] } } },
  };
}

const bridgeStatic = (bridge: string, extra: object = {}) => ({ plugins: [{ type: 'bridge', bridge, ipam: { type: 'static' }, capabilities: { ips: true }, ...extra }] });

interface Row {
  readonly name: string;
  /** Builds the refused App (throws, or fails at synth). */
  readonly build: (c: Chart) => void;
  /** The same thing as manifests. */
  readonly manifests: object[];
  /** The rule both must report: the message, and the field. */
  readonly message: string;
  /**
   * The field: of the NAD (`resourceName`), or after the pod's attachments: `attachments<field>` in
   * the constructs, the networks annotation then `<field>` in lint.
   */
  readonly field: string;
  /** Whether the rule is one of the pod (its attachments) rather than of the NAD. @default true */
  readonly pod?: boolean;
  /**
   * A known difference between the constructs' refusal and lint: the constructs' own message,
   * asserted exactly, so that the row fails once the difference is gone (then remove this).
   * @default - none: both report `message`
   */
  readonly constructsSay?: string;
}

const ROWS: Row[] = [
  {
    name: 'an sriov NAD without resourceName',
    build: (c) => new NetworkAttachmentDefinition(c, 'Vf', { metadata: { name: 'vf' }, config: CniConfig.list([new SriovPlugin({ ipam: HostLocalIpam.subnet('10.3.0.0/24') })]) }),
    manifests: [nad('vf', { plugins: [{ type: 'sriov', ipam: { type: 'host-local', ranges: [[{ subnet: '10.3.0.0/24' }]] } }] })],
    message: 'is required for an sriov network: Multus takes the VF from the device plugin', field: 'resourceName', pod: false,
  },
  {
    name: 'defaultRoute: true on a network without a gateway (written as "default-route": [])',
    build: (c) => fn(c, 'Upf').attach(new Network(c, 'N6', { plugin: NetworkPlugin.bridge({ bridge: 'br-n6' }), subnets: ['10.6.0.0/24'], ipam: IpamMode.STATIC }), { ips: ['10.6.0.5/24'], defaultRoute: true }),
    manifests: [nad('n6', bridgeStatic('br-n6')), deployment('upf', [{ name: 'n6', ips: ['10.6.0.5/24'], 'default-route': [] }])],
    message: 'is empty, so it names no gateway: the default route does not move to this interface (Multus 4.3.0 changes nothing, older Multus removed every default route of the pod)',
    field: '[0].default-route',
  },
  {
    name: 'two attachments owning the IPv4 default route',
    build: (c) => {
      const upf = fn(c, 'Upf');
      upf.attach(new Network(c, 'N3', { plugin: NetworkPlugin.bridge({ bridge: 'br-n3' }), subnets: ['10.3.0.0/24'], gateways: ['10.3.0.1'], ipam: IpamMode.STATIC }), { ips: ['10.3.0.5/24'], defaultRoute: true });
      upf.attach(new Network(c, 'N6', { plugin: NetworkPlugin.bridge({ bridge: 'br-n6' }), subnets: ['10.6.0.0/24'], gateways: ['10.6.0.1'], ipam: IpamMode.STATIC }), { ips: ['10.6.0.5/24'], defaultRoute: true });
    },
    manifests: [nad('n3', bridgeStatic('br-n3')), nad('n6', bridgeStatic('br-n6')),
      deployment('upf', [{ name: 'n3', ips: ['10.3.0.5/24'], 'default-route': ['10.3.0.1'] }, { name: 'n6', ips: ['10.6.0.5/24'], 'default-route': ['10.6.0.1'] }])],
    message: 'give the pod 2 default routes', field: '',
  },
  {
    name: 'a static address on a workload of 3 replicas',
    build: (c) => fn(c, 'Amf', 3).attach(new Network(c, 'N2', { plugin: NetworkPlugin.bridge({ bridge: 'br-n2' }), subnets: ['10.2.0.0/24'], ipam: IpamMode.STATIC }), { ips: ['10.2.0.5/24'] }),
    manifests: [nad('n2', bridgeStatic('br-n2')), deployment('amf', [{ name: 'n2', ips: ['10.2.0.5/24'] }], 3)],
    message: 'is a static address on 3 replicas, which would all claim it', field: '[0].ips',
  },
  {
    name: 'one address requested by two workloads on one network',
    build: (c) => {
      const n2 = new Network(c, 'N2', { plugin: NetworkPlugin.bridge({ bridge: 'br-n2' }), subnets: ['10.2.0.0/24'], ipam: IpamMode.STATIC });
      fn(c, 'Amf').attach(n2, { ips: ['10.2.0.5/24'] });
      fn(c, 'Smf').attach(n2, { ips: ['10.2.0.5/24'] });
    },
    manifests: [nad('n2', bridgeStatic('br-n2')), deployment('amf', [{ name: 'n2', ips: ['10.2.0.5/24'] }]), deployment('smf', [{ name: 'n2', ips: ['10.2.0.5/24'] }])],
    message: 'is already used on n2 by', field: '[0].ips[0]',
  },
  {
    name: 'an address outside the subnet of a host-local network',
    build: (c) => fn(c, 'Amf').attach(new Network(c, 'N2', { plugin: NetworkPlugin.bridge({ bridge: 'br-n2' }), subnets: ['10.2.0.0/24'] }), { ips: ['10.9.0.5/24'] }),
    manifests: [nad('n2', { plugins: [{ type: 'bridge', bridge: 'br-n2', ipam: { type: 'host-local', ranges: [[{ subnet: '10.2.0.0/24' }]] }, capabilities: { ips: true } }] }),
      deployment('amf', [{ name: 'n2', ips: ['10.9.0.5/24'] }])],
    message: 'is outside the subnets of n2 (10.2.0.0/24)', field: '[0].ips[0]',
  },
  {
    name: 'the broadcast address of the subnet',
    build: (c) => fn(c, 'Amf').attach(new Network(c, 'N2', { plugin: NetworkPlugin.bridge({ bridge: 'br-n2' }), subnets: ['10.2.0.0/24'] }), { ips: ['10.2.0.255/24'] }),
    manifests: [nad('n2', { plugins: [{ type: 'bridge', bridge: 'br-n2', ipam: { type: 'host-local', ranges: [[{ subnet: '10.2.0.0/24' }]] }, capabilities: { ips: true } }] }),
      deployment('amf', [{ name: 'n2', ips: ['10.2.0.255/24'] }])],
    message: 'is the broadcast address of 10.2.0.0/24', field: '[0].ips[0]',
  },
  {
    name: 'one interface name twice in a pod',
    build: (c) => {
      const upf = fn(c, 'Upf');
      const n3 = new Network(c, 'N3', { plugin: NetworkPlugin.bridge({ bridge: 'br-n3' }), subnets: ['10.3.0.0/24'] });
      upf.attach(n3, { interface: 'n3' });
      upf.attach(n3, { interface: 'n3' });
    },
    manifests: [nad('n3', { plugins: [{ type: 'bridge', bridge: 'br-n3', ipam: { type: 'host-local', ranges: [[{ subnet: '10.3.0.0/24' }]] } }] }),
      deployment('upf', [{ name: 'n3', interface: 'n3' }, { name: 'n3', interface: 'n3' }])],
    message: 'is used twice in the pod (also by attachment 0)', field: '[1].interface',
  },
  {
    name: 'an address baked into a NAD, used by two workloads',
    build: (c) => {
      const n3 = new NetworkAttachmentDefinition(c, 'UpfN3', { metadata: { name: 'upf-n3' }, config: CniConfig.list([new BridgePlugin({ bridge: 'br-n3', ipam: StaticIpam.address('10.3.0.5/24') })]) });
      fn(c, 'Upf').attach(n3);
      fn(c, 'Canary').attach(n3);
    },
    manifests: [nad('upf-n3', { plugins: [{ type: 'bridge', bridge: 'br-n3', ipam: { type: 'static', addresses: [{ address: '10.3.0.5/24' }] } }] }),
      deployment('upf', [{ name: 'upf-n3' }]), deployment('canary', [{ name: 'upf-n3' }])],
    message: 'is a network with the address 10.3.0.5/24 in its config, which', field: '[0].name',
  },
  {
    name: 'one host-local range under two CNI names on one segment (two NADs on one bridge)',
    build: (c) => {
      // (a Network's own addNad copies keep its CNI name, so they share one store: not this rule)
      const pool = () => CniConfig.list([new BridgePlugin({ bridge: 'br-data', ipam: new HostLocalIpam({ ranges: [[{ subnet: '10.1.0.0/24' }]] }) })]);
      const data = new NetworkAttachmentDefinition(c, 'Data', { metadata: { name: 'data' }, config: pool() });
      const copy = new NetworkAttachmentDefinition(c, 'Copy', { metadata: { name: 'data-copy' }, config: pool() });
      fn(c, 'Upf').attach(data);
      fn(c, 'Smf').attach(copy);
    },
    manifests: [
      nad('data', { plugins: [{ type: 'bridge', bridge: 'br-data', ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]] } }] }),
      nad('data-copy', { plugins: [{ type: 'bridge', bridge: 'br-data', ipam: { type: 'host-local', ranges: [[{ subnet: '10.1.0.0/24' }]] } }] }),
      deployment('upf', [{ name: 'data' }]), deployment('smf', [{ name: 'data-copy' }]),
    ],
    message: 'overlaps the host-local range of core/data on the same segment (bridge br-data)', field: 'ipam', pod: false,
  },
];

/** The errors of the refused App: thrown at construction or at synth. */
function constructErrors(build: (c: Chart) => void): string {
  const c = chart();
  try {
    build(c);
    Testing.synth(c);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

const objects = (list: object[]): ManifestObject[] => list.map((object, index) => ({ file: 'refused.yaml', index, object }));

const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('everything the constructs refuse, lint flags with the same rule', () => {
  test.each(ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const pod = row.pod ?? true;
    const refused = constructErrors(row.build);
    if (row.constructsSay !== undefined) {
      expect(refused).toContain(row.constructsSay);
    } else {
      // the constructs refuse it, with the rule's message on the rule's field
      expect(refused).toMatch(new RegExp(`'${escape(pod ? `attachments${row.field}` : row.field)}' ${escape(row.message)}`));
    }
    // lint reports the manifests with the same message, as an error, on the field of the manifest
    const findings: LintFinding[] = lintObjects(objects(row.manifests)).findings.filter((f) => f.severity === Severity.ERROR);
    const field = pod ? `["${NETWORKS}"]${row.field}` : row.field;
    expect(findings.filter((f) => f.field.endsWith(field) && f.message.startsWith(row.message))).toHaveLength(1);
  });
});
