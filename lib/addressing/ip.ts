import { isIPv4 } from 'net';
import * as ipaddr from 'ipaddr.js';

/**
 * IP addresses and prefixes (IPv4 and IPv6), parsed by ipaddr.js. Arithmetic (sizes, offsets,
 * ordering) is done on the address as a bigint taken from the library's byte array.
 */

/** An address family. */
export enum IpFamily {
  IPV4 = 4,
  IPV6 = 6,
}

function bytesToBigInt(bytes: number[]): bigint {
  // 32 bits at a time: BigInt operations are the cost here, not the number arithmetic
  let n = 0n;
  for (let i = 0; i < bytes.length; i += 4) {
    const word = (bytes[i] * 0x1000000) + (bytes[i + 1] << 16) + (bytes[i + 2] << 8) + bytes[i + 3];
    n = i === 0 ? BigInt(word) : (n << 32n) | BigInt(word);
  }
  return n;
}

function bigIntToBytes(n: bigint, length: number): number[] {
  const out = new Array<number>(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

/**
 * Whether a text is an IPv6 address the library accepts, without a zone (`%eth0`): an address
 * in a CNI config or a selection element names no zone.
 */
function isIpv6Text(text: string): boolean {
  return text.includes(':') && !text.includes('%') && ipaddr.IPv6.isValid(text);
}

/**
 * Parses an address strictly: IPv4 in four-part decimal, IPv6 without zone. IPv4 text is first
 * checked by Node's own validator (`net.isIPv4`: four decimal octets of at most 255, no leading
 * zeros), which is the strict form ipaddr.js also requires of four-part decimal and is one regular
 * expression: ipaddr.js tells invalid text by catching an exception, which costs microseconds.
 */
function parseStrict(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (typeof text !== 'string') return undefined;
  if (isIPv4(text)) return ipaddr.IPv4.parse(text);
  if (isIpv6Text(text)) return ipaddr.IPv6.parse(text);
  return undefined;
}

/**
 * Whether a text is an IP address, as `IpAddress.tryParse` would accept it, without building one:
 * for checks that only need validity (every requested address is checked when it is attached).
 */
export function isIpAddressText(text: unknown): boolean {
  return typeof text === 'string' && (isIPv4(text) || isIpv6Text(text));
}

/** The address text and length of `address/length` (one to three digits), or undefined. */
function splitPrefix(text: unknown): { address: string; prefix: number } | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  return { address: text.slice(0, slash), prefix: Number(prefixText) };
}

/** Whether a text is `address/length`, as `Cidr.tryParse` would accept it, without building one. */
export function isCidrText(text: unknown): boolean {
  const split = splitPrefix(text);
  if (!split) return false;
  const bits = isIPv4(split.address) ? 32 : isIpv6Text(split.address) ? 128 : 0;
  return bits > 0 && split.prefix <= bits;
}

/** One IPv4 or IPv6 address. */
export class IpAddress {
  /** Parses an address; returns undefined when the text is not one. */
  public static tryParse(text: string): IpAddress | undefined {
    const a = parseStrict(text);
    return a ? new IpAddress(a) : undefined;
  }

  /** Parses an address; throws on invalid input. */
  public static parse(text: string): IpAddress {
    const a = IpAddress.tryParse(text);
    if (!a) throw new Error(`'address' is not an IP address: got ${JSON.stringify(text)}; write an IPv4 address such as 10.1.0.5 or an IPv6 address such as 2001:db8::5`);
    return a;
  }

  /** Builds the address with the given number in a family. */
  public static fromBigInt(family: IpFamily, n: bigint): IpAddress {
    const length = family === IpFamily.IPV4 ? 4 : 16;
    return new IpAddress(ipaddr.fromByteArray(bigIntToBytes(n, length)));
  }

  public readonly family: IpFamily;
  /**
   * IPv4: the address as an unsigned 32-bit number, from the library's octets, so that IPv4
   * comparisons and prefix tests need no bigint; -1 for IPv6.
   * @internal
   */
  public readonly _v4: number;
  private _value?: bigint;

  private constructor(private readonly addr: ipaddr.IPv4 | ipaddr.IPv6) {
    if (addr.kind() === 'ipv4') {
      const o = (addr as ipaddr.IPv4).octets;
      this.family = IpFamily.IPV4;
      this._v4 = (o[0] * 0x1000000) + (o[1] << 16) + (o[2] << 8) + o[3];
    } else {
      this.family = IpFamily.IPV6;
      this._v4 = -1;
    }
  }

  /**
   * The address as a number (32 or 128 bits). Computed on first use: checking that a text is an
   * address (e.g. every requested `ips` entry at construction) needs no bigint.
   */
  public get value(): bigint {
    return this._value ??= this._v4 >= 0 ? BigInt(this._v4) : bytesToBigInt(this.addr.toByteArray());
  }

  /**
   * A key that identifies the address within its family: a number for IPv4 (no bigint to build),
   * the bigint value for IPv6.
   */
  public get key(): number | bigint {
    return this._v4 >= 0 ? this._v4 : this.value;
  }

  /** Number of bits in this family: 32 or 128. */
  public get bits(): number {
    return this.family === IpFamily.IPV4 ? 32 : 128;
  }

  /** The address offset by `delta`. */
  public plus(delta: bigint): IpAddress {
    return IpAddress.fromBigInt(this.family, this.value + delta);
  }

  public equals(other: IpAddress): boolean {
    if (this.family !== other.family) return false;
    return this._v4 >= 0 ? this._v4 === other._v4 : this.value === other.value;
  }

  /** Orders by family, then by value. */
  public compare(other: IpAddress): number {
    if (this.family !== other.family) return this.family - other.family;
    if (this._v4 >= 0) return this._v4 - other._v4 < 0 ? -1 : this._v4 === other._v4 ? 0 : 1;
    return this.value < other.value ? -1 : this.value > other.value ? 1 : 0;
  }

  /** Canonical text (IPv6 compressed as RFC 5952). */
  public toString(): string {
    return this.addr.toString();
  }

  /** Whether this is a multicast address. */
  public get isMulticast(): boolean {
    return this.addr.range() === 'multicast';
  }
}

/** A prefix: an address with a prefix length, e.g. `10.1.0.0/24` or `10.1.0.5/24`. */
export class Cidr {
  /** Parses `address/prefix`; returns undefined when the text is not one. */
  public static tryParse(text: string): Cidr | undefined {
    const split = splitPrefix(text);
    const address = split && IpAddress.tryParse(split.address);
    if (!split || !address || split.prefix > address.bits) return undefined;
    return new Cidr(address, split.prefix);
  }

  /** Parses `address/prefix`; throws on invalid input. */
  public static parse(text: string): Cidr {
    const c = Cidr.tryParse(text);
    if (!c) throw new Error(`'cidr' is not a prefix in CIDR notation: got ${JSON.stringify(text)}; write address/length such as 10.1.0.0/24 or 2001:db8::/64`);
    return c;
  }

  // computed on first use (a prefix is immutable): the topology checks ask a network's subnet
  // for these once per attachment
  private _mask?: bigint;
  /** IPv4: the network address as a 32-bit number (-1 until computed). */
  private _network4 = -1;
  private _network?: IpAddress;
  private _last?: IpAddress;

  private constructor(
    /** The address as written (may have host bits set). */
    public readonly address: IpAddress,
    /** The prefix length. */
    public readonly prefix: number,
  ) {}

  public get family(): IpFamily {
    return this.address.family;
  }

  private get hostBits(): number {
    return this.address.bits - this.prefix;
  }

  private get mask(): bigint {
    if (this._mask === undefined) {
      const all = (1n << BigInt(this.address.bits)) - 1n;
      this._mask = all ^ ((1n << BigInt(this.hostBits)) - 1n);
    }
    return this._mask;
  }

  /** The network address (host bits cleared). */
  public get network(): IpAddress {
    return this._network ??= IpAddress.fromBigInt(this.family, this.address.value & this.mask);
  }

  /** The last address of the prefix (the broadcast address for IPv4). */
  public get last(): IpAddress {
    return this._last ??= IpAddress.fromBigInt(this.family, (this.address.value & this.mask) | ((1n << BigInt(this.hostBits)) - 1n));
  }

  /** The IPv4 broadcast address; undefined for IPv6, which has none. */
  public get broadcast(): IpAddress | undefined {
    return this.family === IpFamily.IPV4 ? this.last : undefined;
  }

  /** Whether the written address has bits set beyond the prefix. */
  public get hasHostBits(): boolean {
    return !this.address.equals(this.network);
  }

  /** The prefix with host bits cleared. */
  public get canonical(): Cidr {
    return new Cidr(this.network, this.prefix);
  }

  /** Number of addresses in the prefix. */
  public get size(): bigint {
    return 1n << BigInt(this.hostBits);
  }

  /**
   * Addresses a host can use: all but the network address (and the IPv4 broadcast); both
   * addresses of a point-to-point IPv4 /31 (RFC 3021) or IPv6 /127 (RFC 6164).
   */
  public get usableCount(): bigint {
    if (this.hostBits === 0) return 1n;
    if (this.hostBits === 1) return 2n;
    if (this.family === IpFamily.IPV4) return this.size - 2n;
    return this.size - 1n;
  }

  /** The first address after the network address. */
  public get firstHost(): IpAddress {
    return this.network.plus(1n);
  }

  /** The last address a host can use (before the IPv4 broadcast). */
  public get lastHost(): IpAddress {
    return this.family === IpFamily.IPV4 ? this.last.plus(-1n) : this.last;
  }

  /** Whether an address lies inside the prefix. */
  public contains(ip: IpAddress): boolean {
    if (ip.family !== this.family) return false;
    if (ip._v4 >= 0) {
      // IPv4 in numbers: the mask as a count of host addresses (2^hostBits), no bigint
      const hosts = 2 ** (32 - this.prefix);
      if (this._network4 < 0) this._network4 = this.address._v4 - (this.address._v4 % hosts);
      return ip._v4 - (ip._v4 % hosts) === this._network4;
    }
    return (ip.value & this.mask) === this.network.value;
  }

  /** Whether another prefix lies wholly inside this one. */
  public containsCidr(other: Cidr): boolean {
    return other.family === this.family && other.prefix >= this.prefix && this.contains(other.network);
  }

  /** Whether two prefixes share any address. */
  public overlaps(other: Cidr): boolean {
    return this.containsCidr(other) || other.containsCidr(this);
  }

  /** The address at `offset` from the network address. */
  public nth(offset: bigint): IpAddress {
    return this.network.plus(offset);
  }

  /** `address/prefix` as written, with the address in canonical text. */
  public toString(): string {
    return `${this.address.toString()}/${this.prefix}`;
  }
}

/** An inclusive range of addresses of one family. */
export class IpRange {
  constructor(public readonly start: IpAddress, public readonly end: IpAddress) {
    if (start.family !== end.family) {
      throw new Error(`'range' mixes address families: got ${start}-${end}; use two addresses of one family`);
    }
  }

  public get family(): IpFamily {
    return this.start.family;
  }

  /** Number of addresses in the range (0 when start > end). */
  public get size(): bigint {
    const n = this.end.value - this.start.value + 1n;
    return n > 0n ? n : 0n;
  }

  public contains(ip: IpAddress): boolean {
    return ip.family === this.family && ip.value >= this.start.value && ip.value <= this.end.value;
  }

  public overlaps(other: IpRange): boolean {
    return other.family === this.family && other.start.value <= this.end.value && this.start.value <= other.end.value;
  }

  public toString(): string {
    return `${this.start}-${this.end}`;
  }
}
