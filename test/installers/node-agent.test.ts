import { Testing } from 'cdk8s';
import { ContainerImage } from '../../lib/installers/container-image';
import {
  EnvEntry, MountPropagation, NodeAgentDaemonSet, NodeAgentSecurity, PriorityClass, TaintEffect, Toleration, UpdateStrategy,
} from '../../lib/installers/node-agent';
import { expectValidObjects } from '../util/schema';

const IMAGE = ContainerImage.of('docker.io/library/busybox:1.36.1');

describe('NodeAgentDaemonSet', () => {
  test('defaults: hostNetwork, tolerate everything, system-node-critical, linux, rolling update, no cdk8s-plus defaults', () => {
    const chart = Testing.chart();
    const ds = new NodeAgentDaemonSet(chart, 'Ds', { name: 'agent' });
    ds.addContainer({ name: 'a', image: IMAGE, mounts: [{ volume: ds.cniBinVolume, mountPath: '/host/opt/cni/bin' }] });
    const objs = Testing.synth(chart);
    expectValidObjects(objs);
    const o = objs[0];
    expect(o.metadata).toEqual({ name: 'agent', namespace: 'kube-system', labels: { name: 'agent' } });
    expect(o.spec.selector).toEqual({ matchLabels: { name: 'agent' } });
    expect(o.spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
    const pod = o.spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBeUndefined();
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.priorityClassName).toBe('system-node-critical');
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    // only the mounted volume is emitted (cni-conf is declared but unused)
    expect(pod.volumes).toEqual([{ name: 'cni-bin', hostPath: { path: '/opt/cni/bin' } }]);
    const c = pod.containers[0];
    expect(c).toEqual({ name: 'a', image: 'docker.io/library/busybox:1.36.1', imagePullPolicy: 'IfNotPresent', volumeMounts: [{ name: 'cni-bin', mountPath: '/host/opt/cni/bin' }] });
    // none of the cdk8s-plus defaults: no securityContext, no resources, no automount override
    expect(c.securityContext).toBeUndefined();
    expect(c.resources).toBeUndefined();
    expect(pod.securityContext).toBeUndefined();
    expect(pod.automountServiceAccountToken).toBeUndefined();
  });

  test('overrides: hostPID, no priority class, custom tolerations and paths, capabilities, env, init containers', () => {
    const chart = Testing.chart();
    const ds = new NodeAgentDaemonSet(chart, 'Ds', {
      name: 'agent', namespace: 'net', hostPid: true, priorityClass: PriorityClass.NONE, nodeSelector: {},
      tolerations: [Toleration.exists({ effect: TaintEffect.NO_SCHEDULE })], updateStrategy: UpdateStrategy.onDelete(),
      cniBinDir: '/usr/libexec/cni', cniConfDir: '/etc/kubernetes/cni/net.d', serviceAccountName: 'agent', terminationGracePeriodSeconds: 5,
    });
    ds.addHostPathVolume('run', '/run');
    ds.addInitContainer({ name: 'install', image: IMAGE, security: NodeAgentSecurity.privileged(),
      mounts: [{ volume: ds.cniBinVolume, mountPath: '/host/bin', propagation: MountPropagation.BIDIRECTIONAL }] });
    ds.addContainer({
      name: 'agent', image: IMAGE, security: NodeAgentSecurity.capabilities(['NET_ADMIN', 'NET_RAW']),
      env: [EnvEntry.fieldRef('NODE', 'spec.nodeName'), EnvEntry.value('X', '1')],
      resources: { requests: { cpu: '100m', memory: '50Mi' } },
      mounts: [{ volume: ds.cniConfVolume, mountPath: '/host/etc/cni/net.d' }, { volume: 'run', mountPath: '/run', readOnly: true }],
    });
    const objs = Testing.synth(chart);
    expectValidObjects(objs);
    const pod = objs[0].spec.template.spec;
    expect(objs[0].spec.updateStrategy).toEqual({ type: 'OnDelete' });
    expect(pod.hostPID).toBe(true);
    expect(pod.priorityClassName).toBeUndefined();
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.tolerations).toEqual([{ operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod.serviceAccountName).toBe('agent');
    expect(pod.volumes).toEqual([
      { name: 'cni-bin', hostPath: { path: '/usr/libexec/cni' } },
      { name: 'cni-conf', hostPath: { path: '/etc/kubernetes/cni/net.d' } },
      { name: 'run', hostPath: { path: '/run' } },
    ]);
    expect(pod.initContainers[0].securityContext).toEqual({ privileged: true });
    expect(pod.initContainers[0].volumeMounts[0].mountPropagation).toBe('Bidirectional');
    // exactly the capability set, not privileged
    expect(pod.containers[0].securityContext).toEqual({ privileged: false, capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } });
    expect(pod.containers[0].env).toEqual([{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }, { name: 'X', value: '1' }]);
  });

  test('fails at synth on a mount of an undeclared volume and on no containers', () => {
    const chart = Testing.chart();
    const ds = new NodeAgentDaemonSet(chart, 'Ds', { name: 'agent' });
    expect(() => Testing.synth(chart)).toThrow(/'containers' is empty: a DaemonSet needs at least one container: got \[\]; call addContainer/);
    ds.addContainer({ name: 'a', image: IMAGE, mounts: [{ volume: 'nope', mountPath: '/x' }] });
    expect(() => Testing.synth(chart)).toThrow(/'containers\[a\]\.mounts' names a volume that is not declared: got "nope"; declare it/);
  });

  test('fails on a relative CNI directory', () => {
    expect(() => new NodeAgentDaemonSet(Testing.chart(), 'Ds', { name: 'a', cniBinDir: 'opt/cni/bin' }))
      .toThrow(/'cniBinDir' is not an absolute path: got "opt\/cni\/bin"; write an absolute host path/);
  });
});
