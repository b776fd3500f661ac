import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { LintFinding, lintObjects } from '../../lib/cli/lint';
import { ResourcesLint } from '../../lib/cli/resources-lint';
import { Severity } from '../../lib/cni/problem';
import { PluginsProfile } from '../../lib/cni/profile';
import { PreinstalledCniPlugins } from '../../lib/installers/inventory';
import { PodNetworks } from '../../lib/pod-networks';

/**
 * lint flags in manifests the extended resources the constructs refuse
 * (PodNetworks.requestResource, NetworkFunction's extendedResources): one rule, in
 * lib/topology/extended-resources.ts, and the same message on both sides.
 */

const IMAGE = 'registry.example.com/app:1.0.0';

function deployment(resources: object, extra: object = {}): object {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', namespace: 'core' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec: { containers: [{ name: 'app', image: IMAGE, resources }], ...extra } } },
  };
}

function lint(...objects: object[]): LintFinding[] {
  return lintObjects(objects.map((object, index) => ({ file: 'in.yaml', index, object }))).findings;
}

const line = (f: LintFinding) => `${f.object} ${f.severity} '${f.field}' ${f.message}: ${JSON.stringify(f.value)}`;

/** The message the constructs throw for one requestResource call (the text after the field). */
function constructMessage(resource: string, quantity: string, withMemory = true): string {
  const c = new Chart(Testing.app(), 'c', { namespace: 'core' });
  PreinstalledCniPlugins.fromProfile(c, 'Plugins', PluginsProfile.UPSTREAM);
  const d = new kplus.Deployment(c, 'App', {
    containers: [{ name: 'app', image: IMAGE, ...(withMemory ? { resources: { memory: { request: Size.mebibytes(256), limit: Size.mebibytes(256) } } } : { resources: {} }) }],
  });
  try {
    PodNetworks.of(d).requestResource(resource, quantity);
    Testing.synth(c);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

describe('lint: extended resources of the containers', () => {
  test('names and quantities as the API server checks them; cpu, memory and storage are not extended resources', () => {
    const findings = lint(deployment({
      requests: { 'cpu': '500m', 'memory': '1Gi', 'intel.com/sriov_netdevice': '1' },
      limits: { 'memory': '1Gi', 'intel.com/sriov_netdevice': '1', 'hugepages-1Gi': '2Gi', 'example.com/half': '500m', 'sriov': '1', 'kubernetes.io/thing': '1' },
    }));
    expect(findings.map(line)).toEqual([
      'Deployment core/app error \'spec.template.spec.containers[0].resources.limits["example.com/half"]\' must be a whole number for an extended resource (devices are not split): "500m"',
      'Deployment core/app error \'spec.template.spec.containers[0].resources.limits["sriov"]\' is not an extended resource name: <domain>/<name>: "sriov"',
      'Deployment core/app error \'spec.template.spec.containers[0].resources.limits["kubernetes.io/thing"]\' is in the kubernetes.io domain, which Kubernetes keeps for its own resources: "kubernetes.io/thing"',
    ]);
  });

  test('YAML numbers are quantities; init containers, Pods and CronJobs are read at their own paths', () => {
    expect(lint(deployment({ limits: { 'intel.com/sriov': 2 }, requests: { 'intel.com/sriov': 2 } }))).toEqual([]);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'core' }, spec: { initContainers: [{ name: 'i', image: IMAGE, resources: { limits: { 'hugepages-2Mi': '3Mi', 'memory': '1Gi' } } }], containers: [{ name: 'c', image: IMAGE }] } };
    const cron = {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj', namespace: 'core' },
      spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: IMAGE, resources: { limits: { 'example.com/x': 1.5 } } }] } } } } },
    };
    expect(lint(pod, cron).map(line)).toEqual([
      'Pod core/p error \'spec.initContainers[0].resources.limits["hugepages-2Mi"]\' must be a positive whole number of 2Mi pages: "3Mi"',
      'CronJob core/cj error \'spec.jobTemplate.spec.template.spec.containers[0].resources.limits["example.com/x"]\' must be a whole number for an extended resource (devices are not split): "1.5"',
    ]);
  });

  test('huge pages need a cpu or memory request or limit on the container', () => {
    expect(lint(deployment({ limits: { 'hugepages-1Gi': '2Gi' } })).map(line)).toEqual([
      'Deployment core/app error \'spec.template.spec.containers[0].resources.limits["hugepages-1Gi"]\' is huge pages, but the container has no cpu nor memory request or limit, which Kubernetes requires with huge pages: undefined',
    ]);
    expect(lint(deployment({ limits: { 'hugepages-1Gi': '2Gi' }, requests: { cpu: '1' } }))).toEqual([]);
  });

  test('the same rule and message as the constructs (PodNetworks.requestResource)', () => {
    const cases: [string, string][] = [['example.com/half', '500m'], ['sriov', '1'], ['kubernetes.io/thing', '1'], ['hugepages-2Mi', '3Mi']];
    for (const [resource, quantity] of cases) {
      const [finding] = lint(deployment({ limits: { memory: '1Gi', [resource]: quantity } }));
      expect(finding?.severity).toBe(Severity.ERROR);
      // the constructs say the same thing about the same value
      expect(constructMessage(resource, quantity)).toContain(`${finding.message}: got ${JSON.stringify(finding.value)}; ${finding.fix}`);
    }
    const [hp] = lint(deployment({ limits: { 'hugepages-1Gi': '2Gi' } }));
    expect(constructMessage('hugepages-1Gi', '2Gi', false)).toContain(hp.message);
  });

  test('findings are made as objects are added, one container at a time (no object kept)', () => {
    const l = new ResourcesLint();
    l.add({ file: 'a.yaml', index: 0, object: deployment({ limits: { 'sriov': '1' } }) });
    l.add({ file: 'a.yaml', index: 1, object: { kind: 'Deployment', spec: 'not an object' } });
    l.add({ file: 'a.yaml', index: 2, object: null });
    expect(l.findings().map((f) => [f.file, f.field])).toEqual([['a.yaml', 'spec.template.spec.containers[0].resources.limits["sriov"]']]);
  });
});
