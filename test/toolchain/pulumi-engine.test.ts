import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pulumiEnvironment, stepRecorder } from '../../lib/toolchain/pulumi-engine';

describe('pulumiEnvironment', () => {
  test('offline: local file state and home inside the given folder, no update check, no plugin downloads, plugins first on PATH', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-nfv-pulumi-env-'));
    try {
      const env = pulumiEnvironment({ pluginDirs: ['/tc/provider/bin'], dir, kubeconfig: '/cp/kubeconfig', path: '/usr/bin:/bin' });
      expect(env).toEqual({
        PULUMI_BACKEND_URL: `file://${dir}/state`,
        PULUMI_HOME: `${dir}/home`,
        PULUMI_CONFIG_PASSPHRASE: '',
        PULUMI_SKIP_UPDATE_CHECK: 'true',
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
        PULUMI_SKIP_CONFIRMATIONS: 'true',
        PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: 'true',
        KUBECONFIG: '/cp/kubeconfig',
        PATH: '/tc/provider/bin:/usr/bin:/bin',
      });
      expect(fs.readdirSync(dir).sort()).toEqual(['home', 'state']);
      expect(pulumiEnvironment({ pluginDirs: [], dir, kubeconfig: 'k', path: '/bin', passphrase: 'p' }).PULUMI_CONFIG_PASSPHRASE).toBe('p');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('stepRecorder', () => {
  test('keeps each resource step with its diffs, and error and warning diagnostics apart', () => {
    const rec = stepRecorder();
    rec.onEvent({ resOutputsEvent: { metadata: { op: 'update', urn: 'urn:a', type: 't', diffs: ['spec'] } } });
    rec.onEvent({ resOutputsEvent: { metadata: { op: 'same', urn: 'urn:b', type: 't' } } });
    rec.onEvent({ diagnosticEvent: { severity: 'error', message: 'boom' } });
    rec.onEvent({ diagnosticEvent: { severity: 'warning', message: 'careful' } });
    rec.onEvent({ diagnosticEvent: { severity: 'info', message: 'fyi' } });
    expect(rec.steps).toEqual([
      { op: 'update', urn: 'urn:a', type: 't', diffs: ['spec'] },
      { op: 'same', urn: 'urn:b', type: 't', diffs: [] },
    ]);
    expect([rec.errors, rec.warnings]).toEqual([['boom'], ['careful']]);
  });
});
