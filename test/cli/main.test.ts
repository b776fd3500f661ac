import { ExitCode, Io, run } from '../../lib/cli/main';

function capture(): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { out: (t) => { out += t; }, err: (t) => { err += t; } }, out: () => out, err: () => err };
}

describe('cdk8s-nfv main', () => {
  test('exit code values are 0, 1 and 2', () => {
    expect(ExitCode.OK).toBe(0);
    expect(ExitCode.FAILED).toBe(1);
    expect(ExitCode.CANNOT_RUN).toBe(2);
    expect(ExitCode.NOTHING_VERIFIED).toBe(3);
  });

  test('--help exits 0 and lists every subcommand', async () => {
    const c = capture();
    const code = await run(['--help'], c.io);
    expect(code).toBe(ExitCode.OK);
    const text = c.out() + c.err();
    for (const cmd of ['lint', 'verify', 'diagram', 'convert']) {
      expect(text).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
    }
    expect(text).toMatch(/lint, verify and draw multi-network Kubernetes topologies/);
  });

  test('subcommand help exits 0 and names its options', async () => {
    const c = capture();
    expect(await run(['lint', '--help'], c.io)).toBe(ExitCode.OK);
    expect(c.out()).toMatch(/--profile <profile>/);
    expect(c.out()).toMatch(/--format <format>/);
  });

  test('fails with exit 2 on an unknown command', async () => {
    const c = capture();
    const code = await run(['frobnicate'], c.io);
    expect(code).toBe(ExitCode.CANNOT_RUN);
    expect(c.err()).toMatch(/unknown command 'frobnicate'/);
    expect(c.out()).toBe('');
  });

  test('fails with exit 2 on a missing argument', async () => {
    const c = capture();
    expect(await run(['lint'], c.io)).toBe(ExitCode.CANNOT_RUN);
    expect(c.err()).toMatch(/missing required argument 'inputs'/);
  });

  test('fails with exit 2 on a bad --profile, in the one error style', async () => {
    const c = capture();
    const code = await run(['lint', '--profile', 'gentoo', __filename], c.io);
    expect(code).toBe(ExitCode.CANNOT_RUN);
    expect(c.err()).toMatch(/^cdk8s-nfv: '--profile' is not a known plugins profile: got "gentoo"; use upstream or debian-1\.1\.1\n$/);
    expect(c.out()).toBe('');
  });

  test('fails with exit 2 on a bad --format choice', async () => {
    const c = capture();
    expect(await run(['lint', '--format', 'xml', __filename], c.io)).toBe(ExitCode.CANNOT_RUN);
    expect(c.err()).toMatch(/'xml' is invalid/);
  });

  test('fails with exit 2 on an input that does not exist, naming it', async () => {
    const c = capture();
    expect(await run(['lint', '/nonexistent/nfv.yaml'], c.io)).toBe(ExitCode.CANNOT_RUN);
    expect(c.err()).toMatch(/^cdk8s-nfv lint: \/nonexistent\/nfv\.yaml: no such file or folder$/m);
  });
});
