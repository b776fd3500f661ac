import { FieldType } from '../field';

/**
 * A key the library knows but never writes: injected by the runtime (e.g. `deviceID`), ignored by
 * the plugin (sriov `mtu`), or not in any release. Any value is an error with a specific fix, so
 * that parsing a config that carries the key explains why instead of calling it unknown.
 */
export function rejectedField(message: string, fix: string): FieldType {
  return {
    description: 'a key that must not be written',
    check(value, field, sink, phase) {
      if (phase.kind === 'shape') sink.error(field, message, value, fix);
    },
    toJson: (v) => v,
    fromJson: (j) => j,
  };
}
