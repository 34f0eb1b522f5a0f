import { describe, expect, it } from "vitest";
import { allowedAddress, isSpecialUse, parseAllowList, unwrapIPv4 } from "./address-policy";

describe("special-use addresses", () => {
  it.each([
    "127.0.0.1",
    "127.255.255.254",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fd00::1",
    "fc00::abcd",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:169.254.169.254",
    "::ffff:a9fe:a9fe",
    "::127.0.0.1",
    "64:ff9b::a9fe:a9fe",
    "not an address",
  ])("refuses %s", (address) => expect(isSpecialUse(address)).toBe(true));

  it.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700:4700::1111", "::ffff:93.184.216.34"])(
    "allows the public address %s",
    (address) => expect(isSpecialUse(address)).toBe(false),
  );

  it("reads IPv4 written inside IPv6", () => {
    expect(unwrapIPv4("::ffff:7f00:1")).toBe("127.0.0.1");
    expect(unwrapIPv4("[::ffff:10.0.0.1]")).toBe("10.0.0.1");
    expect(unwrapIPv4("2001:db8::1")).toBe("2001:db8::1");
  });
});

describe("the operator's allow-list", () => {
  it("allows addresses, ranges and host names it lists, and nothing else", () => {
    const allow = parseAllowList(["127.0.0.1", "10.20.0.0/16", "jwks.internal", "fd12::/16", " "]);
    expect(allowedAddress(allow, "x", "127.0.0.1")).toBe(true);
    expect(allowedAddress(allow, "x", "127.0.0.2")).toBe(false);
    expect(allowedAddress(allow, "x", "10.20.9.9")).toBe(true);
    expect(allowedAddress(allow, "x", "10.21.0.1")).toBe(false);
    expect(allowedAddress(allow, "JWKS.internal", "10.99.0.1")).toBe(true);
    expect(allowedAddress(allow, "x", "fd12::5")).toBe(true);
    expect(allowedAddress(allow, "x", "::ffff:127.0.0.1")).toBe(true);
    expect(allowedAddress(parseAllowList([]), "x", "127.0.0.1")).toBe(false);
  });
});
