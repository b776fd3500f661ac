import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Include, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { PluginsProfile } from '../lib/cni/profile';
import { PreinstalledCniPlugins } from '../lib/installers/inventory';
import { NETWORKS_ANNOTATION } from '../lib/multus/selection-element';
import { IpamMode, Network, NetworkPlugin } from '../lib/network';
import { FUNCTION_LABEL, NetworkFunction, NetworkFunctionContainer, ReplicaAddressing, WorkloadKind } from '../lib/network-function';
import { expectValidObjects } from './util/schema';
import { thrown } from './util/thrown';

/**
 * NetworkFunction as a convenience over PodNetworks: the cdk8s-plus settings passed through, each
 * hardening default with its opt-out, and wrapping a workload the user already has.
 */

const IMAGE = 'registry.example.com/upf:1.0.0';
const APP: NetworkFunctionContainer = { name: 'app', image: IMAGE };

function chart(): Chart {
  const c = new Chart(Testing.app(), 'test', { namespace: 'core' });
  PreinstalledCniPlugins.fromProfile(c, 'NodePlugins', PluginsProfile.UPSTREAM);
  return c;
}

function synth(c: Chart): any[] {
  const objects = Testing.synth(c);
  expectValidObjects(objects);
  return objects;
}

function workload(c: Chart, kind: string = 'Deployment'): any {
  const o = synth(c).find((x) => x.kind === kind);
  if (!o) throw new Error(`no ${kind}`);
  return o;
}

const podSpec = (o: any) => (o.kind === 'Pod' ? o.spec : o.spec.template.spec);

describe('NetworkFunction', () => {
  describe('hardening defaults, each with its opt-out', () => {
    test('the defaults', () => {
      const c = chart();
      new NetworkFunction(c, 'Fn', { containers: [APP] });
      const d = workload(c);
      const [container] = podSpec(d).containers;
      expect(container.securityContext).toEqual({
        privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
      });
      expect(container.resources).toEqual({ requests: { cpu: '1000m', memory: '512Mi' }, limits: { cpu: '1500m', memory: '2048Mi' } });
      expect(container.imagePullPolicy).toBe('Always');
      expect(podSpec(d).automountServiceAccountToken).toBe(false);
      expect(podSpec(d).securityContext).toEqual({ fsGroupChangePolicy: 'Always', runAsNonRoot: false });
    });

    test('read-only root filesystem: securityContext.readOnlyRootFilesystem false', () => {
      const c = chart();
      new NetworkFunction(c, 'Fn', { containers: [{ ...APP, securityContext: { readOnlyRootFilesystem: false } }] });
      expect(podSpec(workload(c)).containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: false, runAsNonRoot: true, privileged: false });
    });

    test('runAsNonRoot: ensureNonRoot false', () => {
      const c = chart();
      new NetworkFunction(c, 'Fn', { containers: [{ ...APP, ensureNonRoot: false }] });
      expect(podSpec(workload(c)).containers[0].securityContext.runAsNonRoot).toBe(false);
    });

    test('drop ALL: securityContext.capabilities replaces the set', () => {
      const c = chart();
      new NetworkFunction(c, 'Fn', { containers: [{ ...APP, securityContext: { capabilities: { add: [kplus.Capability.NET_ADMIN] } } }] });
      expect(podSpec(workload(c)).containers[0].securityContext.capabilities).toEqual({ add: ['CAP_NET_ADMIN'] });
    });

    test('no privilege escalation: securityContext.allowPrivilegeEscalation true (privileged stays false)', () => {
      const c = chart();
      new NetworkFunction(c, 'Fn', { containers: [{ ...APP, securityContext: { allowPrivilegeEscalation: true } }] });
      expect(podSpec(workload(c)).containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: true, privileged: false });
    });

    test('cdk8s-plus resource defaults: resources {} for none, or the container\'s own', () => {
      const c = chart();
      new NetworkFunction(c, 'Fn', {
        containers: [{ ...APP, resources: {} }, { name: 'dp', image: IMAGE, resources: { memory: { request: Size.gibibytes(1), limit: Size.gibibytes(1) } } }],
      });
      const [app, dp] = podSpec(workload(c)).containers;
      expect(app.resources).toBeUndefined();
      expect(dp.resources).toEqual({ requests: { memory: '1024Mi' }, limits: { memory: '1024Mi' } });
    });

    test('imagePullPolicy Always: the container\'s own', () => {
      const c = chart();
      new NetworkFunction(c, 'Fn', { containers: [{ ...APP, imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT }] });
      expect(podSpec(workload(c)).containers[0].imagePullPolicy).toBe('IfNotPresent');
    });

    test('no service account token: pod.automountServiceAccountToken true; the pod securityContext merges', () => {
      const c = chart();
      new NetworkFunction(c, 'Fn', { containers: [APP], pod: { automountServiceAccountToken: true, securityContext: { user: 1000 } } });
      const spec = podSpec(workload(c));
      expect(spec.automountServiceAccountToken).toBe(true);
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: false, runAsUser: 1000 });
    });
  });

  describe('cdk8s-plus settings passed through', () => {
    test('container settings: probes, volume mounts, env, ports as ContainerPorts, working dir; pod settings: init containers, volumes, host aliases', () => {
      const c = chart();
      const scratch = kplus.Volume.fromEmptyDir(c, 'Scratch', 'scratch');
      new NetworkFunction(c, 'Fn', {
        containers: [{
          ...APP,
          ports: [8805, { number: 2152, protocol: kplus.Protocol.UDP, name: 'gtpu' }],
          env: { MODE: 'upf' },
          envVariables: { LEVEL: kplus.EnvValue.fromValue('debug') },
          readiness: kplus.Probe.fromTcpSocket({ port: 8805 }),
          volumeMounts: [{ path: '/scratch', volume: scratch }],
          workingDir: '/scratch',
        }],
        pod: {
          initContainers: [{ name: 'sysctl', image: 'registry.example.com/init:1.0.0', securityContext: { ensureNonRoot: false } }],
          volumes: [scratch],
          hostAliases: [{ ip: '10.0.0.1', hostnames: ['nrf'] }],
        },
      });
      const spec = podSpec(workload(c));
      const [container] = spec.containers;
      expect(container.ports).toEqual([{ containerPort: 8805 }, { containerPort: 2152, protocol: 'UDP', name: 'gtpu' }]);
      expect(container.env).toEqual([{ name: 'MODE', value: 'upf' }, { name: 'LEVEL', value: 'debug' }]);
      expect(container.readinessProbe.tcpSocket.port).toBe(8805);
      expect(container.volumeMounts).toEqual([{ mountPath: '/scratch', name: 'scratch' }]);
      expect(container.workingDir).toBe('/scratch');
      expect(spec.initContainers.map((x: any) => x.name)).toEqual(['sysctl']);
      expect(spec.volumes).toEqual([{ name: 'scratch', emptyDir: {} }]);
      expect(spec.hostAliases).toEqual([{ ip: '10.0.0.1', hostnames: ['nrf'] }]);
    });

    test('hugepages and other extended resources are real quantities (requests and limits)', () => {
      const c = chart();
      new NetworkFunction(c, 'Fn', {
        containers: [{ ...APP, resources: { memory: { request: Size.gibibytes(2), limit: Size.gibibytes(2) } }, extendedResources: { 'hugepages-1Gi': '2Gi', 'example.com/qat': '1' } }],
      });
      expect(podSpec(workload(c)).containers[0].resources).toEqual({
        requests: { 'memory': '2048Mi', 'hugepages-1Gi': '2Gi', 'example.com/qat': '1' },
        limits: { 'memory': '2048Mi', 'hugepages-1Gi': '2Gi', 'example.com/qat': '1' },
      });
    });

    test('a quantity that is not one is refused', () => {
      expect(thrown(() => new NetworkFunction(chart(), 'Fn', { containers: [{ ...APP, extendedResources: { 'hugepages-2Mi': '2 GB' } }] }))).toBe(
        "NetworkFunction test/Fn: 'containers[0].extendedResources.hugepages-2Mi' must be a string matching a Kubernetes quantity: got \"2 GB\"; write a quantity such as \"2Gi\" or \"1\"",
      );
    });

    test('a Pod\'s restartPolicy; a Deployment\'s strategy; a StatefulSet\'s own Service', () => {
      const c = chart();
      new NetworkFunction(c, 'Probe', { kind: WorkloadKind.POD, containers: [APP], pod: { restartPolicy: kplus.RestartPolicy.NEVER } });
      new NetworkFunction(c, 'Smf', { containers: [APP], deployment: { strategy: kplus.DeploymentStrategy.recreate() } });
      const service = new kplus.Service(c, 'AmfHeadless', { clusterIP: 'None', ports: [{ port: 38412 }] });
      new NetworkFunction(c, 'Amf', { kind: WorkloadKind.STATEFUL_SET, containers: [APP], statefulSet: { service } });
      const objects = synth(c);
      expect(objects.find((o) => o.kind === 'Pod').spec.restartPolicy).toBe('Never');
      expect(objects.find((o) => o.kind === 'Deployment').spec.strategy).toEqual({ type: 'Recreate' });
      expect(objects.find((o) => o.kind === 'StatefulSet').spec.serviceName).toBe(service.name);
      // the StatefulSet's own Service: no headless Service of cdk8s-plus besides it
      expect(objects.filter((o) => o.kind === 'Service')).toHaveLength(1);
    });

    test('node selection and tolerations through cdk8s-plus\'s scheduling API on the workloads', () => {
      const c = chart();
      const fn = new NetworkFunction(c, 'Fn', { containers: [APP] });
      // typed: no cast
      const w = fn.builtWorkloads[0];
      expect(w).toBeInstanceOf(kplus.Deployment);
      w.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.is('nfv/dpdk', 'true')));
      w.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.is('dedicated', 'nfv')));
      const spec = podSpec(workload(c));
      expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions)
        .toEqual([{ key: 'nfv/dpdk', operator: 'In', values: ['true'] }]);
      expect(spec.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'nfv' }]);
    });

    test('builtWorkloads: the cdk8s-plus classes of every kind, one per replica with per-replica addressing; empty for a wrapped workload', () => {
      const c = chart();
      const kinds: [WorkloadKind, new (...a: any[]) => object][] = [
        [WorkloadKind.DEPLOYMENT, kplus.Deployment], [WorkloadKind.STATEFUL_SET, kplus.StatefulSet], [WorkloadKind.DAEMON_SET, kplus.DaemonSet], [WorkloadKind.POD, kplus.Pod],
      ];
      for (const [kind, cls] of kinds) {
        const fn = new NetworkFunction(c, `Fn${kind}`, { kind, containers: [{ ...APP, ports: [{ number: 8080 }] }] });
        expect([kind, fn.builtWorkloads.length, fn.builtWorkloads[0] instanceof cls, fn.builtWorkloads[0] === fn.workloads[0], fn.wrapped]).toEqual([kind, 1, true, true, undefined]);
        // every member of the union has the scheduling API
        fn.builtWorkloads[0].scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.is('dedicated', 'nfv')));
      }
      const per = new NetworkFunction(c, 'Per', { replicas: 3, replicaAddressing: ReplicaAddressing.PER_REPLICA, containers: [APP] });
      expect(per.builtWorkloads.map((w) => w.node.path)).toEqual(per.workloads.map((w) => w.node.path));
      expect(per.builtWorkloads).toHaveLength(3);
      // a copy: changing it changes nothing
      per.builtWorkloads.pop();
      expect(per.builtWorkloads).toHaveLength(3);
      const job = new ApiObject(c, 'Job', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'job' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [APP] } } } });
      const wrapping = new NetworkFunction(c, 'Wrapping', { workload: job });
      expect([wrapping.builtWorkloads, wrapping.wrapped === job, wrapping.workloads[0] === job]).toEqual([[], true, true]);
      const tolerations = synth(c).filter((o) => o.metadata.name.startsWith('fn')).map((o) => [o.kind, podSpec(o).tolerations]);
      expect(tolerations).toEqual(kinds.map(([kind]) => [kind, [{ key: 'dedicated', operator: 'Equal', value: 'nfv' }]]));
    });

    test('options of another kind are refused', () => {
      expect(thrown(() => new NetworkFunction(chart(), 'Fn', { containers: [APP], statefulSet: { podManagementPolicy: kplus.PodManagementPolicy.PARALLEL } }))).toBe(
        "NetworkFunction test/Fn: 'statefulSet' is for a StatefulSet but the workload is a Deployment: got [\"podManagementPolicy\"]; set kind: WorkloadKind.STATEFUL_SET, or leave it out",
      );
      expect(thrown(() => new NetworkFunction(chart(), 'Fn', { containers: [APP], pod: { containers: [] } as any }))).toBe(
        "NetworkFunction test/Fn: 'pod.containers' is not a prop of NetworkFunctionPodOptions: got []; give the containers in NetworkFunctionProps.containers",
      );
    });
  });

  describe('wrapping an existing workload', () => {
    const UPSTREAM = `apiVersion: apps/v1
kind: Deployment
metadata: { name: upf, namespace: core }
spec:
  replicas: 1
  selector: { matchLabels: { app: upf } }
  template:
    metadata: { labels: { app: upf } }
    spec:
      containers: [{ name: upf, image: ${IMAGE} }]
`;
    function include(c: Chart): ApiObject {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nf-wrap-'));
      fs.writeFileSync(path.join(dir, 'upf.yaml'), UPSTREAM);
      return new Include(c, 'Upstream', { url: path.join(dir, 'upf.yaml') }).apiObjects[0];
    }

    test('an Include\'d Deployment: attached, labelled, its kind, replicas and namespace read from it', () => {
      const c = chart();
      const n6 = new Network(c, 'N6', { plugin: NetworkPlugin.macvlan({ uplink: 'eth1' }), subnets: ['10.6.0.0/24'], ipam: IpamMode.STATIC });
      const fn = new NetworkFunction(c, 'Upf', { workload: include(c), labels: { tier: 'up' } });
      fn.attach(n6, { interface: 'n6', ips: ['10.6.0.10/24'] });
      expect([fn.kind, fn.replicas, fn.namespace, fn.workloads.length]).toEqual(['Deployment', 1, 'core', 1]);
      const d = workload(c);
      expect(d.spec.template.metadata.labels).toEqual({ 'app': 'upf', [FUNCTION_LABEL]: 'upf', 'tier': 'up' });
      expect(d.spec.selector).toEqual({ matchLabels: { app: 'upf' } });
      expect(JSON.parse(d.spec.template.metadata.annotations[NETWORKS_ANNOTATION])).toEqual([{ name: 'n6', namespace: 'core', interface: 'n6', ips: ['10.6.0.10/24'] }]);
    });

    test('what builds a workload does not apply to a wrapped one', () => {
      const c = chart();
      expect(thrown(() => new NetworkFunction(c, 'Upf', {
        workload: include(c), containers: [APP], replicas: 2, namespace: 'edge', replicaAddressing: ReplicaAddressing.PER_REPLICA,
      }))).toBe([
        'NetworkFunction test/Upf: 4 problems:',
        "  'containers' does not apply to a wrapped workload: got [{\"name\":\"app\",\"image\":\"registry.example.com/upf:1.0.0\"}]; set it on the workload itself, or leave out workload",
        "  'replicas' does not apply to a wrapped workload: got 2; set it on the workload itself, or leave out workload",
        "  'namespace' differs from the wrapped workload's namespace (core): got \"edge\"; leave it out: the pods run in the workload's namespace",
        "  'replicaAddressing' is per-replica but the function wraps one workload: got \"per-replica\"; use shared addressing, or let the function build one workload per replica",
      ].join('\n'));
    });

    test('neither containers nor a workload', () => {
      expect(thrown(() => new NetworkFunction(chart(), 'Fn', {}))).toBe(
        "NetworkFunction test/Fn: 'containers' is required: got nothing; list the containers, e.g. [{ name: \"nf\", image: \"registry.example.com/nf:1.0\" }], or pass an existing workload",
      );
    });
  });
});
