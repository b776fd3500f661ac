import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The gating of test/util/toolchain.ts, loaded afresh under a chosen environment. */

function loadGate(env: Record<string, string>): typeof import('../util/toolchain') {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    let mod: typeof import('../util/toolchain') | undefined;
    jest.isolateModules(() => {
      mod = require('../util/toolchain');
    });
    return mod!;
  } finally {
    for (const k of Object.keys(env)) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

describe('toolchain gating', () => {
  let empty: string;
  beforeEach(() => {
    empty = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-nfv-gate-'));
  });
  afterEach(() => fs.rmSync(empty, { recursive: true, force: true }));

  test('without Go and without a built cache, the reason names both and the fix', () => {
    const gate = loadGate({ PATH: path.join(empty, 'no-bin'), CDK8S_NFV_TOOLCHAIN_DIR: empty });
    expect(gate.toolchainBlocker(['etcd'])).toBe(
      `Go is not installed, and etcd v3.6.16 is not built (no ${path.join(empty, 'etcd-v3.6.16', 'stamp.json')}) (run \`npm run toolchain\` where Go 1.26.8+ is)`);
  });

  test('with Go 1.26.8+ here, nothing blocks: the tests build what is missing', () => {
    const fakeBin = path.join(empty, 'bin');
    fs.mkdirSync(fakeBin);
    fs.writeFileSync(path.join(fakeBin, 'go'), '#!/bin/sh\necho go1.26.9\n', { mode: 0o755 });
    const gate = loadGate({ PATH: fakeBin, CDK8S_NFV_TOOLCHAIN_DIR: path.join(empty, 'cache') });
    expect(gate.toolchainBlocker(['etcd', 'kube-apiserver'])).toBeUndefined();
  });

  test('an older Go blocks, naming its version', () => {
    const fakeBin = path.join(empty, 'bin');
    fs.mkdirSync(fakeBin);
    fs.writeFileSync(path.join(fakeBin, 'go'), '#!/bin/sh\necho go1.24.2\n', { mode: 0o755 });
    const gate = loadGate({ PATH: fakeBin, CDK8S_NFV_TOOLCHAIN_DIR: path.join(empty, 'cache') });
    expect(gate.toolchainBlocker(['etcd'])).toMatch(/^Go here is go1\.24\.2, older than 1\.26\.8, and etcd v3\.6\.16 is not built/);
  });

  test('CDK8S_NFV_REQUIRE_TOOLCHAIN=1 is read', () => {
    expect(loadGate({ CDK8S_NFV_REQUIRE_TOOLCHAIN: '1' }).REQUIRE_TOOLCHAIN).toBe(true);
    expect(loadGate({ CDK8S_NFV_REQUIRE_TOOLCHAIN: '0' }).REQUIRE_TOOLCHAIN).toBe(false);
  });
});
