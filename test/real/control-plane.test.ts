import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { applyManifests } from '../../lib/toolchain/apply-manifests';
import { ControlPlane, startControlPlane } from '../../lib/toolchain/control-plane';
import { FIELD_MANAGER, KubeClient, KubeObject } from '../../lib/toolchain/kube-client';
import { BUILD_TIMEOUT_MS, describeWithToolchain, ensureToolchain, startTestControlPlane } from '../util/toolchain';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describeWithToolchain('private control plane: a real kube-apiserver on etcd', ['etcd', 'kube-apiserver'], () => {
  let cp: ControlPlane;
  beforeAll(async () => {
    cp = await startTestControlPlane();
    process.stderr.write(`[control plane] ready in ${cp.startSeconds.toFixed(1)} s\n`);
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await cp?.stop();
  });

  test('serves Kubernetes v1.34.4 on 127.0.0.1, with resource.k8s.io/v1', async () => {
    expect(cp.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const version = await cp.client.request('GET', '/version');
    expect(version.status).toBe(200);
    expect(version.body.gitVersion).toBe('v1.34.4');
    expect(await cp.client.resourceOf('resource.k8s.io/v1', 'ResourceClaim')).toEqual({ plural: 'resourceclaims', namespaced: true });
    expect(await cp.client.resourceOf('apps/v1', 'DaemonSet')).toEqual({ plural: 'daemonsets', namespaced: true });
    expect(await cp.client.resourceOf('rbac.authorization.k8s.io/v1', 'ClusterRole')).toEqual({ plural: 'clusterroles', namespaced: false });
  });

  test('refuses a wrong token (401) and serves the right one', async () => {
    const wrong = new KubeClient({ url: cp.url, ca: cp.ca, token: 'not-the-token' });
    expect((await wrong.request('GET', '/api/v1/namespaces')).status).toBe(401);
    expect((await cp.client.request('GET', '/api/v1/namespaces')).status).toBe(200);
  });

  test('writes a kubeconfig naming the server, its CA and the token', () => {
    const kc = YAML.parse(fs.readFileSync(cp.kubeconfig, 'utf8'));
    expect(kc.clusters[0].cluster.server).toBe(cp.url);
    expect(Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString()).toBe(cp.ca);
    expect(kc.users[0].user.token).toBe(cp.token);
    expect(path.dirname(cp.kubeconfig)).toBe(cp.dir);
  });

  test('server-side apply stores the object under the cdk8s-nfv field manager; get reads it back', async () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe', namespace: 'default', labels: { a: 'b' } }, data: { k: 'v' } };
    const stored = await cp.client.apply(cm);
    expect(stored.data).toEqual({ k: 'v' });
    expect((stored.metadata.managedFields as any[]).map((m) => [m.manager, m.operation])).toEqual([[FIELD_MANAGER, 'Apply']]);
    const read = await cp.client.get(cm);
    expect(read?.metadata.uid).toBe(stored.metadata.uid);
    expect(await cp.client.get({ ...cm, metadata: { name: 'absent', namespace: 'default' } })).toBeUndefined();
  });

  test('applyManifests: CRDs first (Established), undefined namespaces created, one rejected object fails only itself', async () => {
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      },
    };
    const widget: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'made-here' }, spec: { size: 3 } };
    const undeclared: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'u', namespace: 'made-here' }, spec: { size: 3, colour: 'red' } };
    const bad: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bad', namespace: 'made-here' }, spec: { ports: [{ port: 70000 }] } };
    const good: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'good', namespace: 'made-here' }, data: { a: '1' } };
    // the widget is written before its CRD: order is the helper's job
    const report = await applyManifests(cp.client, [widget, bad, good, crd, undeclared]);
    expect(report.createdNamespaces).toEqual(['made-here']);
    const [w, b, g, c, u] = report.outcomes;
    expect(c.error).toBeUndefined();
    expect(g).toMatchObject({ object: 'ConfigMap made-here/good', differences: [] });
    expect(b.error).toMatch(/^apply Service made-here\/bad: the API server answered 422 Invalid: .*spec\.ports\[0\]\.port: Invalid value: 70000/);
    expect(w).toMatchObject({ object: 'Widget made-here/w', differences: [] });
    expect(w.stored?.spec).toEqual({ size: 3 });
    // server-side apply refuses a field the CRD's schema does not declare (a plain create would prune it)
    expect(u.error).toMatch(/^apply Widget made-here\/u: the API server answered 500 .*\.spec\.colour: field not declared in schema$/);
  });
});

describeWithToolchain('private control plane: lifecycle', ['etcd', 'kube-apiserver'], () => {
  let bins: Record<string, string>;
  let tmpRoot: string;
  beforeAll(async () => {
    bins = await ensureToolchain(['etcd', 'kube-apiserver']);
  }, BUILD_TIMEOUT_MS);
  beforeEach(() => {
    tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-nfv-cp-test-'));
  });
  afterEach(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

  test('stop() ends both processes and removes its directory; a second stop() is harmless', async () => {
    const cp = await startControlPlane({ etcd: bins.etcd, kubeApiserver: bins['kube-apiserver'], tmpRoot });
    expect(fs.readdirSync(tmpRoot)).toEqual([path.basename(cp.dir)]);
    expect([alive(cp.pids.etcd), alive(cp.pids.kubeApiserver)]).toEqual([true, true]);
    await cp.stop();
    await cp.stop();
    expect([alive(cp.pids.etcd), alive(cp.pids.kubeApiserver)]).toEqual([false, false]);
    expect(fs.readdirSync(tmpRoot)).toEqual([]);
    await expect(cp.client.request('GET', '/readyz')).rejects.toThrow(/ECONNREFUSED/);
  }, 120_000);

  test('an aborted signal stops it, during start too', async () => {
    const controller = new AbortController();
    const cp = await startControlPlane({ etcd: bins.etcd, kubeApiserver: bins['kube-apiserver'], tmpRoot, signal: controller.signal });
    controller.abort();
    await cp.stop(); // the same stop the abort began
    expect([alive(cp.pids.etcd), alive(cp.pids.kubeApiserver)]).toEqual([false, false]);
    expect(fs.readdirSync(tmpRoot)).toEqual([]);

    const early = new AbortController();
    const starting = startControlPlane({ etcd: bins.etcd, kubeApiserver: bins['kube-apiserver'], tmpRoot, signal: early.signal });
    setTimeout(() => early.abort(), 300);
    await expect(starting).rejects.toThrow(/^control plane did not start: aborted/);
    expect(fs.readdirSync(tmpRoot)).toEqual([]);
  }, 120_000);

  test('a server that cannot start is reported with its log, and nothing is left behind', async () => {
    // etcd given kube-apiserver's flags exits at once
    await expect(startControlPlane({ etcd: bins.etcd, kubeApiserver: bins.etcd, tmpRoot })).rejects.toThrow(
      /^control plane did not start: etcd exited \(\d+\) before the API server was ready; logs in .*\n--- etcd.log/);
    expect(fs.readdirSync(tmpRoot)).toEqual([]);
  }, 60_000);

  test('refuses a binary that is not there, in the house error style', async () => {
    await expect(startControlPlane({ etcd: '/nonexistent/etcd', kubeApiserver: bins['kube-apiserver'], tmpRoot })).rejects.toThrow(
      '\'etcd\' is not an existing binary: got "/nonexistent/etcd"; build it with `npm run toolchain`');
    await expect(startControlPlane({ etcd: 'etcd', kubeApiserver: bins['kube-apiserver'], tmpRoot })).rejects.toThrow('\'etcd\' is not an existing binary: got "etcd"');
    expect(fs.readdirSync(tmpRoot)).toEqual([]);
  });
});
