import "server-only";
import { BlockList, isIP } from "node:net";

// Which network addresses Mandate may connect to when it fetches something on someone else's
// behalf (an agent's JWKS URL, a client's metadata document): public addresses only, unless the
// operator allows more with OUTBOUND_ALLOW. Loopback, private, link-local (cloud metadata),
// unique-local, carrier-grade NAT, multicast and reserved ranges are refused, for IPv4, IPv6 and
// IPv4 written inside IPv6.

const blocked = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, bits, "ipv4");
}
for (const [net, bits] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["64:ff9b::", 96], // NAT64 (reaches IPv4 space)
  ["64:ff9b:1::", 48], // local-use NAT64
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique-local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  blocked.addSubnet(net, bits, "ipv6");
}

/** An IPv4 address written inside IPv6 (::ffff:a.b.c.d, ::a.b.c.d), as IPv4; anything else as is. */
export function unwrapIPv4(address: string): string {
  const lower = address.toLowerCase().replace(/^\[|\]$/g, "");
  const dotted = /^::(?:ffff(?::0{1,4})?:)?(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const hi = Number.parseInt(hex[1], 16);
    const lo = Number.parseInt(hex[2], 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return lower;
}

/** Whether an address is in a range Mandate never reaches on someone else's behalf by default. */
export function isSpecialUse(address: string): boolean {
  const plain = unwrapIPv4(address);
  const family = isIP(plain);
  if (family === 4) return blocked.check(plain, "ipv4");
  if (family === 6) return blocked.check(plain, "ipv6");
  return true; // not an address at all: refuse
}

/** The operator's allow-list (OUTBOUND_ALLOW): addresses, CIDR ranges and host names. */
export interface AllowList {
  hosts: Set<string>;
  ranges: BlockList;
}

export function parseAllowList(entries: readonly string[]): AllowList {
  const ranges = new BlockList();
  const hosts = new Set<string>();
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    const [net, bits] = entry.split("/");
    const plain = unwrapIPv4(net);
    const family = isIP(plain);
    if (family) {
      const type = family === 4 ? "ipv4" : "ipv6";
      const size = bits === undefined ? (family === 4 ? 32 : 128) : Number(bits);
      ranges.addSubnet(plain, size, type);
    } else hosts.add(entry);
  }
  return { hosts, ranges };
}

export function allowedAddress(allow: AllowList, host: string, address: string): boolean {
  if (allow.hosts.has(host.toLowerCase())) return true;
  const plain = unwrapIPv4(address);
  const family = isIP(plain);
  if (!family) return false;
  return allow.ranges.check(plain, family === 4 ? "ipv4" : "ipv6");
}
