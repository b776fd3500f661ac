/** MAC addresses (EUI-48) and InfiniBand GUIDs (EUI-64), in colon notation. */

const MAC_RE = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;
const GUID_RE = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){7}$/;

/** Whether the text is a 6-byte MAC written as six colon-separated hex pairs. */
export function isMac(text: unknown): text is string {
  return typeof text === 'string' && MAC_RE.test(text);
}

/** Whether the MAC is a group (multicast or broadcast) address: bit 0 of the first octet. */
export function isMulticastMac(mac: string): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}

/** Whether the MAC is locally administered: bit 1 of the first octet. */
export function isLocallyAdministeredMac(mac: string): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 2) === 2;
}

/** Lower-case canonical form, for comparisons. */
export function canonicalMac(mac: string): string {
  if (typeof mac !== 'string') throw new Error(`'mac' must be a string: got ${typeof mac === 'number' ? String(mac) : JSON.stringify(mac) ?? String(mac)}; write six colon-separated hex pairs, e.g. 02:00:00:00:00:01`);
  return mac.toLowerCase();
}

/** Whether the text is an 8-byte InfiniBand GUID in colon notation. */
export function isInfinibandGuid(text: unknown): text is string {
  return typeof text === 'string' && GUID_RE.test(text);
}
