import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Cron, Include, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { lintObjects } from '../lib/cli/lint';
import { CniConfig } from '../lib/cni/config';
import { HostLocalIpam } from '../lib/cni/ipam/host-local';
import { MacvlanPlugin } from '../lib/cni/plugins/macvlan';
import { SriovPlugin } from '../lib/cni/plugins/sriov';
import { PluginsProfile } from '../lib/cni/profile';
import { ExternalNetwork } from '../lib/external-network';
import { PreinstalledCniPlugins } from '../lib/installers/inventory';
import { DEFAULT_NETWORK_ANNOTATION, NETWORKS_ANNOTATION } from '../lib/multus/selection-element';
import { IpamMode, Network, NetworkPlugin } from '../lib/network';
import { NetworkAttachmentDefinition } from '../lib/network-attachment-definition';
import { NetworkReferences } from '../lib/network-references';
import { PodNetworks } from '../lib/pod-networks';
import { TopologyValidation } from '../lib/topology-validation';
import { expectValidObjects } from './util/schema';
import { thrown } from './util/thrown';

const SRIOV = 'intel.com/sriov_netdevice';
const IMAGE = 'registry.example.com/app:1.0.0';

function chart(namespace: string | undefined = 'core'): Chart {
  const c = new Chart(Testing.app(), 'test', { namespace });
  PreinstalledCniPlugins.fromProfile(c, 'NodePlugins', PluginsProfile.UPSTREAM);
  return c;
}

const dataNet = (c: Chart, ipam: IpamMode = IpamMode.STATIC) =>
  new Network(c, 'Data', { plugin: NetworkPlugin.macvlan({ uplink: 'eth1' }), subnets: ['10.1.0.0/24'], ipam });

const sriovNad = (c: Chart) => new NetworkAttachmentDefinition(c, 'N3', {
  metadata: { name: 'n3' },
  resourceName: SRIOV,
  config: CniConfig.list([new SriovPlugin({ ipam: new HostLocalIpam({ ranges: [[{ subnet: '10.3.0.0/24' }]] }) })]),
});

/** The synthesized objects, checked against the Kubernetes schemas. */
function synth(c: Chart): any[] {
  const objects = Testing.synth(c);
  expectValidObjects(objects);
  return objects;
}

const TEMPLATE_OF: Record<string, (o: any) => any> = {
  Pod: (o) => o,
  CronJob: (o) => o.spec.jobTemplate.spec.template,
};
function template(o: any): any {
  return (TEMPLATE_OF[o.kind] ?? ((x: any) => x.spec.template))(o);
}

function find(objects: any[], kind: string, name?: string): any {
  const o = objects.find((x) => x.kind === kind && (name === undefined || x.metadata.name === name));
  if (!o) throw new Error(`no ${kind} ${name ?? ''}`);
  return o;
}

function networksOf(o: any): any[] {
  return JSON.parse(template(o).metadata.annotations[NETWORKS_ANNOTATION]);
}

/** The synth errors of the App of `c`, one per line. */
function synthErrors(c: Chart): string[] {
  try {
    Testing.synth(c);
    return [];
  } catch (e) {
    return (e as Error).message.split('\n').slice(1).map((l) => l.trim());
  }
}

/** A YAML file for Include, in a temporary directory. */
function yamlFile(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pod-networks-'));
  const file = path.join(dir, 'upstream.yaml');
  fs.writeFileSync(file, text);
  return file;
}

const UPSTREAM = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: upf
spec:
  replicas: 1
  selector:
    matchLabels: { app: upf }
  template:
    metadata:
      labels: { app: upf }
    spec:
      containers:
        - name: upf
          image: ${IMAGE}
        - name: dp
          image: ${IMAGE}
          resources:
            limits: { cpu: "2" }
---
apiVersion: v1
kind: Pod
metadata:
  name: probe
spec:
  containers:
    - name: probe
      image: ${IMAGE}
---
apiVersion: v1
kind: Service
metadata:
  name: upf
spec:
  ports: [{ port: 8805 }]
`;

describe('PodNetworks', () => {
  describe('cdk8s-plus workloads of the user', () => {
    test('a Deployment: the annotation in attach order with the typed options, the user\'s pod labels kept', () => {
      const c = chart();
      const data = dataNet(c);
      const d = new kplus.Deployment(c, 'Smf', { containers: [{ image: IMAGE, portNumber: 8805 }], podMetadata: { labels: { tier: 'cp' } }, replicas: 1 });
      const nets = PodNetworks.of(d);
      const a = nets.attach(data, { interface: 'n4', ips: ['10.1.0.10/24'] });
      nets.attach(new ExternalNetwork(c, 'Oam', { name: 'oam', namespace: 'infra' }));
      expect(a).toMatchObject({ nadName: 'data', nadNamespace: 'core', interface: 'n4' });
      expect(nets.attachments.map((x) => x.interface)).toEqual(['n4', 'net2']);
      expect(PodNetworks.of(d)).toBe(nets);
      const deployment = find(synth(c), 'Deployment');
      expect(networksOf(deployment)).toEqual([
        { name: 'data', namespace: 'core', interface: 'n4', ips: ['10.1.0.10/24'] },
        { name: 'oam', namespace: 'infra', interface: 'net2' },
      ]);
      expect(template(deployment).metadata.labels.tier).toBe('cp');
    });

    test('a StatefulSet, a DaemonSet, a Job, a CronJob and a Pod', () => {
      const c = chart();
      const data = dataNet(c, IpamMode.HOST_LOCAL);
      const containers = [{ image: IMAGE, portNumber: 80 }];
      const workloads = [
        new kplus.StatefulSet(c, 'Sts', { containers }),
        new kplus.DaemonSet(c, 'Ds', { containers }),
        new kplus.Job(c, 'Job', { containers }),
        new kplus.CronJob(c, 'Cron', { containers, schedule: Cron.hourly() }),
        new kplus.Pod(c, 'Pod', { containers }),
      ];
      for (const w of workloads) PodNetworks.of(w).attach(data, { interface: 'n1' });
      const objects = synth(c);
      for (const kind of ['StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod']) {
        expect([kind, networksOf(find(objects, kind))]).toEqual([kind, [{ name: 'data', namespace: 'core', interface: 'n1' }]]);
      }
    });

    test('the replicas the check counts: cdk8s-plus defaults, the workload\'s own, one per node for a DaemonSet', () => {
      const c = chart();
      const containers = [{ image: IMAGE, portNumber: 80 }];
      const workloads = [
        new kplus.Deployment(c, 'D2', { containers }),
        new kplus.Deployment(c, 'D3', { containers, replicas: 3 }),
        new kplus.StatefulSet(c, 'S1', { containers }),
        new kplus.DaemonSet(c, 'Ds', { containers }),
        new kplus.Pod(c, 'P', { containers }),
      ];
      const data = dataNet(c, IpamMode.HOST_LOCAL);
      for (const w of workloads) PodNetworks.of(w).attach(data);
      expect(TopologyValidation.of(c).topology().pods.map((p) => [p.path, p.replicas])).toEqual([
        ['test/D2', 2], ['test/D3', 3], ['test/S1', 1], ['test/Ds', undefined], ['test/P', 1],
      ]);
    });
  });

  describe('manifest objects: Include, Helm-like and hand-made ApiObjects', () => {
    test('an Include\'d Deployment and Pod get the annotation and device requests by JSON patch; the other objects are untouched', () => {
      const c = chart();
      const inc = new Include(c, 'Upstream', { url: yamlFile(UPSTREAM) });
      const [deployment, pod] = inc.apiObjects;
      const n3 = sriovNad(c);
      const nets = PodNetworks.of(deployment);
      nets.attach(n3, { interface: 'n3' });
      nets.attach(n3, { interface: 'n3b', container: 'dp' });
      nets.attach(n3, { interface: 'n3c', container: 'dp' });
      PodNetworks.of(pod).attach(dataNet(c, IpamMode.HOST_LOCAL), { interface: 'net1' });
      const objects = synth(c);
      const d = find(objects, 'Deployment', 'upf');
      expect(networksOf(d)).toEqual([
        { name: 'n3', namespace: 'core', interface: 'n3' },
        { name: 'n3', namespace: 'core', interface: 'n3b' },
        { name: 'n3', namespace: 'core', interface: 'n3c' },
      ]);
      // the quantities are strings, not objects; the container's own limits are kept
      expect(d.spec.template.spec.containers[0].resources).toEqual({ requests: { [SRIOV]: '1' }, limits: { [SRIOV]: '1' } });
      expect(d.spec.template.spec.containers[1].resources).toEqual({ requests: { [SRIOV]: '2' }, limits: { cpu: '2', [SRIOV]: '2' } });
      expect(d.spec.template.metadata.labels).toEqual({ app: 'upf' });
      expect(networksOf(find(objects, 'Pod', 'probe'))).toEqual([{ name: 'data', namespace: 'core', interface: 'net1' }]);
      expect(find(objects, 'Service', 'upf').metadata.annotations).toBeUndefined();
      expect(nets.deviceRequests()).toEqual({ [SRIOV]: 3 });
    });

    test('a Helm-like StatefulSet with 3 replicas: the check counts them and refuses one static address for all', () => {
      const c = chart();
      const sts = new ApiObject(c, 'Release', {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'release-amf' },
        spec: { replicas: 3, serviceName: 'amf', selector: { matchLabels: { app: 'amf' } }, template: { metadata: { labels: { app: 'amf' } }, spec: { containers: [{ name: 'amf', image: IMAGE }] } } },
      });
      PodNetworks.of(sts).attach(dataNet(c), { interface: 'n2', ips: ['10.1.0.20/24'] });
      expect(synthErrors(c)).toEqual([
        "[NfvTopologyValidation] [test/Release] 'attachments[0].ips' is a static address on 3 replicas, which would all claim it: got [\"10.1.0.20/24\"]; "
          + 'use per-replica addressing (one address per replica), or a pool IPAM (host-local, whereabouts) without static ips',
      ]);
    });

    test('a CronJob: the template under jobTemplate, parallelism as the replica count', () => {
      const c = chart();
      const cron = new ApiObject(c, 'Backup', {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'backup' },
        spec: { schedule: '0 3 * * *', jobTemplate: { spec: { parallelism: 2, template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'backup', image: IMAGE }] } } } } },
      });
      const nets = PodNetworks.of(cron);
      nets.attach(dataNet(c, IpamMode.HOST_LOCAL), { interface: 'st1' });
      const objects = synth(c);
      expect(networksOf(find(objects, 'CronJob'))).toEqual([{ name: 'data', namespace: 'core', interface: 'st1' }]);
      expect(nets.pods()[0].replicas).toBe(2);
    });

    test('a generated L1 object (KubeDeployment) gets quantities it keeps (objects with a value, rewritten as strings)', () => {
      const c = chart();
      const l1 = new kplus.k8s.KubeDeployment(c, 'L1', {
        metadata: { name: 'l1' },
        spec: { selector: { matchLabels: { app: 'l1' } }, template: { metadata: { labels: { app: 'l1' } }, spec: { containers: [{ name: 'l1', image: IMAGE }] } } },
      });
      PodNetworks.of(l1).attach(sriovNad(c));
      const d = find(synth(c), 'Deployment', 'l1');
      expect(d.spec.template.spec.containers[0].resources).toEqual({ requests: { [SRIOV]: '1' }, limits: { [SRIOV]: '1' } });
    });

    test('namespace-relative references on a manifest object: chosen before the attach; afterwards refused', () => {
      const c = chart();
      NetworkReferences.namespaceRelative(c);
      const pod = new ApiObject(c, 'Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'p', image: IMAGE }] } });
      PodNetworks.of(pod).attach(dataNet(c, IpamMode.HOST_LOCAL), { interface: 'n1' });
      expect(networksOf(find(synth(c), 'Pod'))).toEqual([{ name: 'data', interface: 'n1' }]);

      const late = chart();
      const pod2 = new ApiObject(late, 'Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'p', image: IMAGE }] } });
      PodNetworks.of(pod2).attach(dataNet(late, IpamMode.HOST_LOCAL));
      expect(thrown(() => NetworkReferences.namespaceRelative(late))).toBe(
        "'namespaceRelative' is set after networks were attached to existing pod templates of the App: got \"<root>\"; call NetworkReferences.namespaceRelative(app) before the first attach",
      );
    });
  });

  describe('the whole-topology check sees every attached workload', () => {
    test('the same static address on a cdk8s-plus Pod and an Include\'d Pod', () => {
      const c = chart();
      const data = dataNet(c);
      const mine = new kplus.Pod(c, 'Mine', { containers: [{ image: IMAGE }] });
      const theirs = new Include(c, 'Upstream', { url: yamlFile(UPSTREAM) }).apiObjects[1];
      PodNetworks.of(mine).attach(data, { ips: ['10.1.0.30/24'] });
      PodNetworks.of(theirs).attach(data, { ips: ['10.1.0.30/24'] });
      const errors = synthErrors(c);
      expect(errors).toHaveLength(1);
      expect(errors).toEqual([
        "[NfvTopologyValidation] [test/Upstream/probe-pod] 'attachments[0].ips[0]' is already used on data by test/Mine (net1): got \"10.1.0.30/24\"; give every attachment of a network its own address",
      ]);
    });

    test('a DaemonSet with a static address: a pod per node would all claim it', () => {
      const c = chart();
      PodNetworks.of(new kplus.DaemonSet(c, 'Agent', { containers: [{ image: IMAGE }] })).attach(dataNet(c), { ips: ['10.1.0.40/24'] });
      expect(synthErrors(c)).toEqual([
        "[NfvTopologyValidation] [test/Agent] 'attachments[0].ips' is a static address on a pod per node, which would all claim it: got [\"10.1.0.40/24\"]; "
          + 'use per-replica addressing (one address per replica), or a pool IPAM (host-local, whereabouts) without static ips',
      ]);
    });
  });

  describe('device requests and capabilities', () => {
    test('a device-plugin network on a cdk8s-plus Deployment requests one device per attachment on the named container', () => {
      const c = chart();
      const d = new kplus.Deployment(c, 'Upf', { replicas: 1, containers: [{ name: 'cp', image: IMAGE }, { name: 'dp', image: IMAGE, resources: {} }] });
      const nets = PodNetworks.of(d);
      const n3 = sriovNad(c);
      nets.attach(n3, { container: 'dp' });
      nets.attach(n3, { container: 'dp', interface: 'net9' });
      const containers = find(synth(c), 'Deployment').spec.template.spec.containers;
      expect(containers[1].resources).toEqual({ requests: { [SRIOV]: '2' }, limits: { [SRIOV]: '2' } });
      expect(containers[0].resources.limits[SRIOV]).toBeUndefined();
      expect(TopologyValidation.of(c).topology().pods[0].resourceRequests).toEqual({ [SRIOV]: 2 });
    });

    test('a capability no plugin of the chain reads is refused with the workload\'s path', () => {
      const c = chart();
      const nad = new NetworkAttachmentDefinition(c, 'Nad', {
        metadata: { name: 'plain' },
        config: CniConfig.list([new MacvlanPlugin({ master: 'eth1', ipam: new HostLocalIpam({ ranges: [[{ subnet: '10.9.0.0/24' }]] }) })]),
      });
      const pod = new kplus.Pod(c, 'P', { containers: [{ image: IMAGE }] });
      expect(thrown(() => PodNetworks.of(pod).attach(nad, { bandwidth: { ingressRate: 1000, ingressBurst: 100 } }))).toBe(
        "PodNetworks test/P attachment 0 (plain): 'bandwidth' cannot be honoured: no plugin of the chain (macvlan) reads 'bandwidth': got \"bandwidth\"; chain a bandwidth plugin (after bridge or ptp) and declare it there",
      );
    });
  });

  describe('the default network', () => {
    test('setDefaultNetwork writes v1.multus-cni.io/default-network with its namespace', () => {
      const c = chart();
      const main = new NetworkAttachmentDefinition(c, 'Main', {
        metadata: { name: 'main', namespace: 'kube-system' },
        config: CniConfig.list([new MacvlanPlugin({ master: 'eth0', ipam: new HostLocalIpam({ ranges: [[{ subnet: '10.8.0.0/24' }]] }) })]),
      });
      const inc = new Include(c, 'Upstream', { url: yamlFile(UPSTREAM) });
      const nets = PodNetworks.of(inc.apiObjects[0]);
      nets.setDefaultNetwork(main);
      expect(nets.defaultNetwork).toBe(main);
      const d = find(synth(c), 'Deployment');
      expect(JSON.parse(template(d).metadata.annotations[DEFAULT_NETWORK_ANNOTATION])).toEqual([{ name: 'main', namespace: 'kube-system' }]);
      expect(template(d).metadata.annotations[NETWORKS_ANNOTATION]).toBeUndefined();
    });

    test('a logical network is refused', () => {
      const c = chart();
      const pod = new kplus.Pod(c, 'P', { containers: [{ image: IMAGE }] });
      expect(thrown(() => PodNetworks.of(pod).setDefaultNetwork(dataNet(c)))).toBe(
        "'defaultNetwork' cannot be a logical network: got test/Data; Multus looks the default network up in its own namespace: pass the NAD from network.nadFor('kube-system')",
      );
    });
  });

  describe('errors, in the house style', () => {
    test('a construct without a pod template', () => {
      const c = chart();
      expect(thrown(() => PodNetworks.of(new Construct(c, 'Plain')))).toBe(
        "PodNetworks.of: 'workload' is not a workload with a pod template: got \"test/Plain\"; pass a cdk8s-plus workload or Pod, or an ApiObject of a workload kind (from Include, Helm or your own)",
      );
      for (const v of [undefined, 'smf']) {
        expect(thrown(() => PodNetworks.of(v as any))).toBe(
          `PodNetworks.of: 'workload' is not a workload with a pod template: got ${v === undefined ? 'nothing' : '"smf"'}; pass a cdk8s-plus workload or Pod, or an ApiObject of a workload kind (from Include, Helm or your own)`,
        );
      }
      const svc = new Include(c, 'Upstream', { url: yamlFile(UPSTREAM) }).apiObjects[2];
      expect(thrown(() => PodNetworks.of(svc))).toBe(
        "PodNetworks.of: 'workload' is a Service, which has no pod template: got \"test/Upstream/upf-service\"; pass a workload of kind Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob",
      );
    });

    test('a template that already carries a networks annotation (upstream YAML) is refused at the first attach', () => {
      const c = chart();
      const pod = new ApiObject(c, 'Pod', {
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name: 'p', annotations: { [NETWORKS_ANNOTATION]: 'macvlan-conf@net1' } },
        spec: { containers: [{ name: 'p', image: IMAGE }] },
      });
      expect(thrown(() => PodNetworks.of(pod).attach(dataNet(c, IpamMode.HOST_LOCAL)))).toBe(
        "PodNetworks test/Pod: 'k8s.v1.cni.cncf.io/networks' is already set on the pod template: got \"macvlan-conf@net1\"; "
          + 'remove it from the source manifest and attach its networks with PodNetworks.attach, so that they are checked',
      );
      const d = new kplus.Deployment(c, 'D', { containers: [{ image: IMAGE }], podMetadata: { annotations: { [NETWORKS_ANNOTATION]: 'x' } } });
      expect(thrown(() => PodNetworks.of(d).attach(new ExternalNetwork(c, 'Ext', { name: 'ext', namespace: 'core' })))).toMatch(/^PodNetworks test\/D: 'k8s\.v1\.cni\.cncf\.io\/networks' is already set on the pod template: got "x"; /);
    });

    test('options: per-replica lists, an unknown container, an interface used twice, a network by name', () => {
      const c = chart();
      const data = dataNet(c);
      const nets = PodNetworks.of(new kplus.Pod(c, 'P', { containers: [{ name: 'app', image: IMAGE }] }));
      expect(thrown(() => nets.attach(data, { ipsPerReplica: [['10.1.0.5/24']] }))).toBe(
        "PodNetworks test/P attachment 0: 'ipsPerReplica' needs one workload per replica: got [[\"10.1.0.5/24\"]]; use 'ips' (one replica), or a NetworkFunction with ReplicaAddressing.PER_REPLICA",
      );
      expect(thrown(() => nets.attach(data, { container: 'sidecar' }))).toBe(
        "PodNetworks test/P attachment 0 (data): 'container' is not a container of the pods: got \"sidecar\"; use one of app",
      );
      nets.attach(data, { interface: 'n3' });
      expect(thrown(() => nets.attach('data' as any))).toBe(
        "PodNetworks test/P attachment 1: 'network' must be a Network, NetworkAttachmentDefinition or ExternalNetwork construct: got \"data\"; pass the construct itself, not its name (declare a NAD outside the App with new ExternalNetwork(...))",
      );
      // nothing of the refused attachments was kept
      expect(nets.attachments.map((a) => a.interface)).toEqual(['n3']);
      // the rulebook's rule, reported at synth with the message lint gives
      nets.attach(data, { interface: 'n3' });
      expect(synthErrors(c).filter((l) => l.includes('.interface'))).toEqual([
        "[NfvTopologyValidation] [test/P] 'attachments[1].interface' is used twice in the pod (also by attachment 0): got \"n3\"; give every attachment of a pod its own interface name",
      ]);
    });

    test('options are copied at attach: changing them afterwards changes nothing', () => {
      const c = chart();
      const nets = PodNetworks.of(new kplus.Pod(c, 'P', { containers: [{ image: IMAGE }] }));
      const ips = ['10.1.0.7/24'];
      const options = { interface: 'n1', ips };
      nets.attach(dataNet(c), options);
      ips[0] = '10.1.0.8/24';
      (options as any).interface = 'n9';
      expect(nets.selectionElements()).toEqual([{ name: 'data', namespace: 'core', interface: 'n1', ips: ['10.1.0.7/24'] }]);
    });
  });

  test('lint finds no error in what PodNetworks writes on Include\'d objects and cdk8s-plus workloads', () => {
    const c = chart();
    const inc = new Include(c, 'Upstream', { url: yamlFile(UPSTREAM) });
    const n3 = sriovNad(c);
    const data = dataNet(c);
    PodNetworks.of(inc.apiObjects[0]).attach(n3, { interface: 'n3', container: 'dp' });
    PodNetworks.of(inc.apiObjects[1]).attach(data, { interface: 'n6', ips: ['10.1.0.60/24'] });
    const sts = new kplus.StatefulSet(c, 'Sts', { replicas: 2, containers: [{ image: IMAGE, portNumber: 80 }] });
    PodNetworks.of(sts).attach(n3);
    const objects = synth(c);
    const report = lintObjects(objects.map((object, index) => ({ file: 'out.yaml', index, object })));
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.objects).toBe(objects.length);
  });

  test('synthesizes deterministically', () => {
    const build = () => {
      const c = chart();
      const inc = new Include(c, 'Upstream', { url: yamlFile(UPSTREAM) });
      const nets = PodNetworks.of(inc.apiObjects[0]);
      nets.attach(sriovNad(c), { interface: 'n3' });
      nets.attach(dataNet(c), { interface: 'n6', ips: ['10.1.0.50/24'] });
      PodNetworks.of(new kplus.Deployment(c, 'Mine', { replicas: 1, containers: [{ image: IMAGE }] })).attach(dataNet2(c));
      return (c.node.root as App).synthYaml();
    };
    const dataNet2 = (c: Chart) => new Network(c, 'Other', { plugin: NetworkPlugin.bridge({ bridge: 'br1' }), subnets: ['10.2.0.0/24'] });
    expect(build()).toBe(build());
  });
});
