import { ChildProcess, spawn } from 'child_process';
import { COMMAND_ENV } from '../dataplane/netns';

/**
 * Processes of one run, asynchronous: every argument is its own argv element (no shell), the
 * environment is fixed, and {@link Processes.killAll} stops what is in flight when the run is
 * cancelled.
 */

/** What a finished process gave. */
export interface ProcessResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The live processes of one run. */
export class Processes {
  private readonly live = new Set<ChildProcess>();
  private stopped = false;

  /** Runs a command; never rejects. After {@link killAll}, resolves at once with status null. */
  public run(command: string, args: readonly string[], input = ''): Promise<ProcessResult> {
    if (this.stopped) return Promise.resolve({ status: null, stdout: '', stderr: 'the run was stopped' });
    return new Promise((resolve) => {
      const child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...COMMAND_ENV } });
      this.live.add(child);
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
      child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
      child.on('error', (e) => { stderr += e.message; });
      child.on('close', (status) => {
        this.live.delete(child);
        resolve({ status, stdout, stderr });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    });
  }

  /** Kills every process in flight (SIGKILL) and refuses new ones until {@link resume}. */
  public killAll(): void {
    this.stopped = true;
    for (const c of this.live) c.kill('SIGKILL');
  }

  /** Accepts new processes again (teardown after a cancelled run). */
  public resume(): void {
    this.stopped = false;
  }
}

/** Runs `fn` over the items with at most `size` at once. */
export async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(Math.max(1, size), items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(workers);
}
