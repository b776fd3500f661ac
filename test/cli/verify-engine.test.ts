import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  AttachOutcome,
  CheckKind,
  CheckResult,
  EngineContext,
  PingJob,
  PlannedAttachment,
  VerifyEngine,
  VerifyInterrupted,
  verifyObjects,
} from '../../lib/cli/verify';
import { DataplaneCapabilities } from '../../lib/cli/dataplane';

/**
 * The run drives any engine through one interface: a fake engine (no root, no plugins) shows the
 * order of the phases, the rows the run makes of the engine's answers, cancellation, and that
 * teardown always happens and the run's directory and marker go.
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-engine-'));
const bin = path.join(tmp, 'bin');
fs.mkdirSync(bin);
fs.writeFileSync(path.join(bin, 'bridge'), '#!/bin/false\n', { mode: 0o755 });
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const CAPS: DataplaneCapabilities = {
  environment: { ok: true, root: true, iproute2: true, netns: true },
  linkTypes: {} as DataplaneCapabilities['linkTypes'],
  features: {} as DataplaneCapabilities['features'],
  tools: {},
};

const nad = { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'data', namespace: 'lab' }, spec: { config: JSON.stringify({ cniVersion: '1.0.0', name: 'data', type: 'bridge', ipam: { type: 'static' } }) } };
const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'lab', annotations: { 'k8s.v1.cni.cncf.io/networks': 'data' } }, spec: { containers: [] } });
const objects = [nad, pod('a'), pod('b'), pod('c')].map((object, index) => ({ file: 'x.yaml', index, object }));

class FakeEngine implements VerifyEngine {
  public readonly calls: string[] = [];
  public onAttach?: (n: number) => void;
  constructor(public readonly context: EngineContext) {}
  public unsupported(): string | undefined { return undefined; }
  public async setup(): Promise<Map<PlannedAttachment, string>> { this.calls.push('setup'); return new Map(); }
  public async attach(a: PlannedAttachment): Promise<AttachOutcome> {
    this.calls.push(`attach ${a.pod.display}`);
    this.onAttach?.(a.pod.index);
    return { result: 'ok', ips: [`10.0.0.${a.pod.index + 1}/24`], added: true };
  }
  public async settle(): Promise<string[]> { this.calls.push('settle'); return []; }
  public async ping(jobs: readonly PingJob[]): Promise<void> {
    this.calls.push(`ping ${jobs.length}`);
    for (const j of jobs) j.ok = j.address !== '10.0.0.3';
  }
  public async detach(a: PlannedAttachment): Promise<string | undefined> {
    this.calls.push(`detach ${a.pod.display}`);
    return a.pod.display === 'lab/b' ? 'DEL bridge: busy' : undefined;
  }
  public async teardown(): Promise<string[]> { this.calls.push('teardown'); return []; }
  public cancel(): void { this.calls.push('cancel'); }
  public stats() { return { pluginMs: 0, pluginCalls: 0, pings: 0 }; }
}

describe('the run with an engine', () => {
  test('phases in order; rows from the engine\'s answers; teardown; the run directory and marker removed', async () => {
    let engine: FakeEngine | undefined;
    const runDir = path.join(tmp, 'runs');
    const report = await verifyObjects(objects, {
      cniPath: [bin], capabilities: CAPS, runDir, tmpDir: tmp, probeUnselected: false,
      engine: (c) => (engine = new FakeEngine(c)),
    });
    expect(engine!.calls).toEqual(['setup', 'attach lab/a', 'attach lab/b', 'attach lab/c', 'settle', 'ping 3', 'detach lab/c', 'detach lab/b', 'detach lab/a', 'teardown']);
    expect(engine!.context.prefix).toBe(report.prefix);
    expect(engine!.context.stateDir.startsWith(path.join(tmp, `${report.prefix}-state-`))).toBe(true);
    expect(fs.existsSync(engine!.context.stateDir)).toBe(false);
    expect(fs.readdirSync(runDir)).toEqual([]);
    expect(report.checks.map((c) => [c.check, c.from, c.to, c.result])).toEqual([
      [CheckKind.ATTACH, 'lab/a:net1', '-', CheckResult.PASSED],
      [CheckKind.ATTACH, 'lab/b:net1', '-', CheckResult.PASSED],
      [CheckKind.ATTACH, 'lab/c:net1', '-', CheckResult.PASSED],
      [CheckKind.REACH, 'lab/a:net1 10.0.0.1/24', 'lab/b:net1 10.0.0.2/24', CheckResult.PASSED],
      [CheckKind.REACH, 'lab/a:net1 10.0.0.1/24', 'lab/c:net1 10.0.0.3/24', CheckResult.FAILED],
      [CheckKind.REACH, 'lab/b:net1 10.0.0.2/24', 'lab/c:net1 10.0.0.3/24', CheckResult.FAILED],
      [CheckKind.DETACH, 'lab/b:net1', '-', CheckResult.FAILED],
    ]);
    expect(report.checks[6].reason).toBe('DEL bridge: busy');
    expect([report.passed, report.failed, report.unsupported]).toEqual([4, 3, 0]);
  });

  test('an abort during attach cancels the engine, tears down, and throws VerifyInterrupted with the reason', async () => {
    let engine: FakeEngine | undefined;
    const abort = new AbortController();
    const runDir = path.join(tmp, 'runs-abort');
    const p = verifyObjects(objects, {
      cniPath: [bin], capabilities: CAPS, runDir, tmpDir: tmp, probeUnselected: false, signal: abort.signal,
      engine: (c) => {
        engine = new FakeEngine(c);
        engine.onAttach = (i) => { if (i === 1) abort.abort('SIGINT'); };
        return engine;
      },
    });
    await expect(p).rejects.toThrow(new VerifyInterrupted('SIGINT', 'interrupted by SIGINT; everything the run created was removed', []));
    expect(engine!.calls).toEqual(['setup', 'attach lab/a', 'attach lab/b', 'cancel', 'teardown']);
    expect(fs.readdirSync(runDir)).toEqual([]);
  });

  test('an engine that throws in setup still gets its teardown, and the error reaches the caller', async () => {
    let engine: FakeEngine | undefined;
    const p = verifyObjects(objects, {
      cniPath: [bin], capabilities: CAPS, runDir: path.join(tmp, 'runs-throw'), tmpDir: tmp, probeUnselected: false,
      engine: (c) => {
        engine = new FakeEngine(c);
        engine.setup = async () => { throw new Error('no namespaces today'); };
        return engine;
      },
    });
    await expect(p).rejects.toThrow('no namespaces today');
    expect(engine!.calls).toEqual(['teardown']);
  });
});
