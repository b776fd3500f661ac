import { Testing } from 'cdk8s';
import { ProblemSink } from '../../lib/cni/problem';
import { NodeAgentIdentity, RbacRule, checkRbacRules } from '../../lib/installers/node-agent-identity';
import { expectValidObjects } from '../util/schema';

describe('NodeAgentIdentity', () => {
  test('ServiceAccount, ClusterRole and binding with exactly the given rules; Roles', () => {
    const chart = Testing.chart();
    const rules = [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }];
    new NodeAgentIdentity(chart, 'Id', { name: 'agent', clusterRules: rules, roles: [{ name: 'agent-cm', rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['x'] }] }] });
    const objs = Testing.synth(chart);
    expectValidObjects(objs);
    expect(objs.map((o: any) => o.kind)).toEqual(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']);
    expect(objs[1].rules).toEqual(rules);
    expect(objs[2].subjects).toEqual([{ kind: 'ServiceAccount', name: 'agent', namespace: 'kube-system' }]);
    expect(objs[3].rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['x'] }]);
  });

  test('rules are rendered exactly, in the given order, with nothing added or widened', () => {
    const chart = Testing.chart();
    const rules: RbacRule[] = [
      { apiGroups: ['k8s.cni.cncf.io'], resources: ['*'], verbs: ['*'] },
      { apiGroups: [''], resources: ['pods', 'pods/status'], verbs: ['get', 'list', 'update', 'watch'] },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
    ];
    const id = new NodeAgentIdentity(chart, 'Id', { name: 'multus', clusterRules: rules, labels: { app: 'multus' } });
    const objs = Testing.synth(chart);
    expectValidObjects(objs);
    const role = objs.find((o: any) => o.kind === 'ClusterRole');
    expect(role.rules).toEqual(rules);
    expect(role.metadata).toEqual({ name: 'multus', labels: { app: 'multus' } });
    expect(id.clusterRoleName).toBe('multus');
    expect(id.serviceAccountName).toBe('multus');
    expect(id.namespace).toBe('kube-system');
    const binding = objs.find((o: any) => o.kind === 'ClusterRoleBinding');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'multus' });
    expect(binding.metadata.name).toBe('multus');
  });

  test('names, namespace and token automount are taken from the props; a Role defaults to the identity namespace', () => {
    const chart = Testing.chart();
    new NodeAgentIdentity(chart, 'Id', {
      name: 'agent', namespace: 'net-system', clusterRules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }],
      clusterRoleName: 'agent-role', clusterRoleBindingName: 'agent-binding', automountServiceAccountToken: false,
      roles: [{ name: 'here', rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] },
        { name: 'there', namespace: 'kube-system', rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }] }],
    });
    const objs = Testing.synth(chart);
    expectValidObjects(objs);
    const sa = objs.find((o: any) => o.kind === 'ServiceAccount');
    expect(sa.metadata).toEqual({ name: 'agent', namespace: 'net-system' });
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(objs.find((o: any) => o.kind === 'ClusterRole').metadata.name).toBe('agent-role');
    const crb = objs.find((o: any) => o.kind === 'ClusterRoleBinding');
    expect(crb.metadata.name).toBe('agent-binding');
    expect(crb.roleRef.name).toBe('agent-role');
    expect(crb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'agent', namespace: 'net-system' }]);
    const rbs = objs.filter((o: any) => o.kind === 'RoleBinding');
    expect(rbs.map((o: any) => [o.metadata.name, o.metadata.namespace, o.roleRef.kind, o.roleRef.name])).toEqual([
      ['here', 'net-system', 'Role', 'here'], ['there', 'kube-system', 'Role', 'there'],
    ]);
    expect(rbs[1].subjects).toEqual([{ kind: 'ServiceAccount', name: 'agent', namespace: 'net-system' }]);
  });

  test('no rules: only the ServiceAccount', () => {
    const chart = Testing.chart();
    const id = new NodeAgentIdentity(chart, 'Id', { name: 'agent' });
    expect(Testing.synth(chart).map((o: any) => o.kind)).toEqual(['ServiceAccount']);
    expect(id.clusterRoleName).toBeUndefined();
    expect(id.clusterRole).toBeUndefined();
  });

  test('an empty clusterRules list still writes the ClusterRole and its binding (no rules)', () => {
    const chart = Testing.chart();
    new NodeAgentIdentity(chart, 'Id', { name: 'agent', clusterRules: [] });
    const objs = Testing.synth(chart);
    expect(objs.map((o: any) => o.kind)).toEqual(['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding']);
    expect(objs[1].rules).toEqual([]);
  });

  test('fails on an unknown verb or empty resources', () => {
    expect(() => new NodeAgentIdentity(Testing.chart(), 'Id', { name: 'a', clusterRules: [{ apiGroups: [''], resources: [], verbs: ['read'] }] }))
      .toThrow(/'clusterRules\[0\]\.resources' is empty: got \[\]; name the resources[\s\S]*'clusterRules\[0\]\.verbs' has an unknown verb: got "read"/);
  });

  test('fails on empty verbs or apiGroups in a Role, naming the role and rule', () => {
    expect(() => new NodeAgentIdentity(Testing.chart(), 'Id', {
      name: 'a', roles: [{ name: 'r', rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }, { apiGroups: [], resources: ['pods'], verbs: [] }] }],
    })).toThrow(/^NodeAgentIdentity [^:]*Id: 2 problems:\n {2}'roles\[0\]\.rules\[1\]\.apiGroups' is empty: got \[\]; use \[""\] for the core group\n {2}'roles\[0\]\.rules\[1\]\.verbs' is empty: got \[\]; name the verbs/);
  });
});

describe('checkRbacRules', () => {
  test('accepts every Kubernetes verb and *', () => {
    const sink = new ProblemSink();
    checkRbacRules(sink, 'r', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'bind', 'escalate', 'impersonate', 'use', 'approve', 'sign', '*'] }]);
    expect(sink.problems).toEqual([]);
  });

  test('fails on each bad verb separately, verbs being case-sensitive', () => {
    const sink = new ProblemSink();
    checkRbacRules(sink, 'r', [{ apiGroups: [''], resources: ['pods'], verbs: ['GET', 'get', 'read'] }]);
    expect(sink.problems.map((p) => [p.field, p.message, p.value])).toEqual([
      ['r[0].verbs', 'has an unknown verb', 'GET'], ['r[0].verbs', 'has an unknown verb', 'read'],
    ]);
    expect(sink.problems[0].fix).toMatch(/^use one of get, list, watch, .*\*$/);
  });
});
