/** The message a call throws; fails the test when the call throws nothing. */
export function thrown(call: () => unknown): string {
  try {
    call();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the call threw nothing');
}
