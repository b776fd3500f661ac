/**
 * A counter of changes to the network model: every mutation that can change what the
 * whole-topology check sees (a plugin added to a chain, a capability declared, a network or
 * attachment created) advances it. A check whose result was computed at one revision still holds
 * at that revision, so the result can be reused instead of recomputed.
 */
let revision = 0;

/** The current revision of the model. */
export function modelRevision(): number {
  return revision;
}

/** Records a change of the model. */
export function modelChanged(): void {
  revision++;
}
