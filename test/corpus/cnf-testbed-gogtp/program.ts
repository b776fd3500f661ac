import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BridgePlugin, CniConfig, CniVersion, NetworkAttachmentDefinition, PluginsProfile, PodNetworks, PreinstalledCniPlugins } from '../../../lib';

/** The GoGTP EPC of cncf/cnf-testbed: seven bridge NADs without IPAM, one per reference point. */
export const REFERENCE_POINTS = ['euu', 's11', 's1u', 's1c', 's5u', 's5c', 'sgi'] as const;

/**
 * Where this program's output differs from upstream by meaning (the comparator's lines), and why.
 */
export const DIFFERENCES: Readonly<Record<string, string>> = {};

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'gogtp');
  PreinstalledCniPlugins.fromProfile(chart, 'NodePlugins', PluginsProfile.UPSTREAM);
  const nads = new Map<string, NetworkAttachmentDefinition>();
  for (const rp of REFERENCE_POINTS) {
    const name = `lte-${rp}`;
    // the bridge (made by the testbed's tools on the nodes, joined to a VLAN) is `lte<rp>`;
    // addresses are set from inside the pods by their setup scripts, so no IPAM
    nads.set(rp, new NetworkAttachmentDefinition(chart, name, {
      metadata: { name },
      config: CniConfig.single(new BridgePlugin({ bridge: `lte${rp}` }), { cniVersion: CniVersion.V0_3_1 }),
    }));
  }

  // the chart's pods (values.yaml: apps, then endpoints), each pinned to the node that has its bridges;
  // the interfaces keep Multus' names net1, net2, ... (the PGW's SGi is net3)
  const pods: Array<[string, string, string, readonly (typeof REFERENCE_POINTS[number])[]]> = [
    ['enb', 'soelvkaer/gogtp:enb', 'node1', ['euu', 's1u', 's1c']],
    ['mme', 'soelvkaer/gogtp:mme', 'node1', ['s11', 's1c']],
    ['pgw', 'soelvkaer/gogtp:pgw', 'node2', ['s5u', 's5c', 'sgi']],
    ['sgw', 'soelvkaer/gogtp:sgw', 'node1', ['s11', 's1u', 's5u', 's5c']],
    ['ext', 'ubuntu:18.04', 'node2', ['sgi']],
    ['ue', 'ubuntu:18.04', 'node1', ['euu']],
  ];
  for (const [app_, image, node, networks] of pods) {
    const name = `gogtp-${app_}`;
    const pod = new kplus.Pod(chart, name, {
      metadata: { name },
      containers: [{ name, image, resources: { cpu: { limit: kplus.Cpu.units(3) } } }],
    });
    pod.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('kubernetes.io/hostname', node)));
    for (const rp of networks) PodNetworks.of(pod).attach(nads.get(rp)!);
  }
  return app;
}
