import * as fs from 'fs';
import * as path from 'path';
import { ExitCode, HELP_EXAMPLES, Io, PROFILE_NAMES, run } from '../../lib/cli/main';
import { packageInfo } from '../../lib/cli/package-info';

function capture(): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { out: (t) => { out += t; }, err: (t) => { err += t; } }, out: () => out, err: () => err };
}

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));

describe('cdk8s-nfv manners: version, examples, choices', () => {
  test.each([['--version'], ['-V']])('%s prints the version of package.json and exits 0', async (flag) => {
    const c = capture();
    expect(await run([flag], c.io)).toBe(ExitCode.OK);
    expect(c.out()).toBe(`${pkg.version}\n`);
    expect(packageInfo()).toEqual({ name: 'cdk8s-nfv', version: pkg.version });
  });

  test.each(Object.keys(HELP_EXAMPLES))('help of %p ends with its examples', async (key) => {
    const c = capture();
    const args = key === '' ? ['--help'] : [...key.split(' '), '--help'];
    expect(await run(args, c.io)).toBe(ExitCode.OK);
    const text = c.out();
    expect(text).toMatch(/\nExamples:\n/);
    for (const line of HELP_EXAMPLES[key]) expect(text).toContain(`  $ ${line}`);
    // the examples are for this command: each starts with its name
    for (const line of HELP_EXAMPLES[key]) expect(line).toMatch(new RegExp(`(^|^sudo |\\| )cdk8s-nfv ${key}`));
  });

  test('every command and subcommand has examples in its help', async () => {
    const c = capture();
    await run(['--help'], c.io);
    const commands = [...c.out().matchAll(/^ {2}([a-z][a-z0-9-]*)\b/gm)].map((m) => m[1]).filter((n) => n !== 'help');
    expect(commands.sort()).toEqual(['convert', 'diagram', 'lint', 'verify']);
    for (const cmd of commands) expect(Object.keys(HELP_EXAMPLES)).toContain(cmd);
    expect(Object.keys(HELP_EXAMPLES)).toContain('convert fog05');
  });

  test('the program help states the exit codes', async () => {
    const c = capture();
    await run(['--help'], c.io);
    expect(c.out()).toContain('Exit codes: 0 every check passed, 1 a check failed, 2 the command could not run, 3 (verify) nothing was verified.');
  });

  test('lint --profile lists its choices and refuses others with exit 2', async () => {
    const help = capture();
    await run(['lint', '--help'], help.io);
    expect(help.out().replace(/\s+/g, ' ')).toContain(`(choices: ${PROFILE_NAMES.map((n) => `"${n}"`).join(', ')}, default: "upstream")`);
    const bad = capture();
    expect(await run(['lint', '--profile', 'nope', '-'], bad.io)).toBe(ExitCode.CANNOT_RUN);
    expect(bad.err()).toBe('cdk8s-nfv: \'--profile\' is not a known plugins profile: got "nope"; use upstream or debian-1.1.1\n');
  });

  test('no colour or other escape sequences in any help text', async () => {
    for (const key of Object.keys(HELP_EXAMPLES)) {
      const c = capture();
      await run(key === '' ? ['--help'] : [...key.split(' '), '--help'], c.io);
      expect(c.out()).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    }
  });
});
