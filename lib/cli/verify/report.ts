import { formatVerbNotes } from './cni-verbs';
import { CheckResult, VerifyCheck, VerifyReport } from './types';

/** The report: counts, the result column, the text table. */

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** How many checks ended each way. */
export function countResults(checks: readonly VerifyCheck[]): { passed: number; failed: number; unsupported: number } {
  let passed = 0;
  let failed = 0;
  let unsupported = 0;
  for (const c of checks) {
    if (c.result === CheckResult.PASSED) passed++;
    else if (c.result === CheckResult.FAILED) failed++;
    else unsupported++;
  }
  return { passed, failed, unsupported };
}

/** What a report amounts to: a failure, nothing verified (no check passed, none failed), or a pass. */
export function verdictOf(report: Pick<VerifyReport, 'passed' | 'failed'>): 'failed' | 'nothing-verified' | 'passed' {
  if (report.failed > 0) return 'failed';
  return report.passed === 0 ? 'nothing-verified' : 'passed';
}

/** The result column: `passed`, `FAILED (<why>)`, `unsupported here (<why>)`. */
export function formatResult(c: VerifyCheck): string {
  switch (c.result) {
    case CheckResult.PASSED: return 'passed';
    case CheckResult.FAILED: return `FAILED (${c.reason ?? 'no reason given'})`;
    default: return `unsupported here (${c.reason ?? 'no reason given'})`;
  }
}

/** The report as a text table (check, from, to, network, result) and a summary line. */
export function formatVerifyTable(report: VerifyReport): string {
  const header = ['CHECK', 'FROM', 'TO', 'NETWORK', 'RESULT'];
  const rows = report.checks.map((c) => [c.check, c.from, c.to, c.network, formatResult(c)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ');
  const out = [line(header), ...rows.map(line)];
  out.push(`${plural(report.checks.length, 'check')}: ${report.passed} passed, ${report.failed} failed, ${report.unsupported} unsupported here` +
    ` (${plural(report.pods, 'pod')}, ${plural(report.attachments, 'attachment')}, ${plural(report.nodes, 'node')})`);
  if (verdictOf(report) === 'nothing-verified') out.push('nothing was verified: no check passed (every check is unsupported here)');
  out.push(...formatVerbNotes(report.verbs ?? []));
  return `${out.join('\n')}\n`;
}
