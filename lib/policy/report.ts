import { ProblemSink, reportProblems } from '../cni/problem';

/** Reports one error found while building a policy value (thrown, or collected while linting). */
export function fail(context: string, field: string, message: string, value: unknown, fix: string): void {
  const sink = new ProblemSink();
  sink.error(field, message, value, fix);
  reportProblems(sink.problems, context);
}
