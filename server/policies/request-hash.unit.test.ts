import { describe, expect, it } from "vitest";
import { decisionRequestSchema } from "@/lib/schemas/decisions";
import { requestHash } from "./decide";

const parse = (v: unknown) => decisionRequestSchema.parse(v);

describe("requestHash (what an approval is for)", () => {
  const base = { action: "payments.create", resource: { type: "Payment", id: "p-1" }, context: { amount: 10 } };

  it("is the same whatever the order of keys, and whether empty parts were sent or defaulted", () => {
    const a = parse({ ...base, resource: { ...base.resource, attributes: { b: 1, a: "x" } } });
    const b = parse({
      context: { amount: 10 },
      resource: { attributes: { a: "x", b: 1 }, id: "p-1", type: "Payment" },
      action: "payments.create",
    });
    expect(requestHash("agent-1", a)).toBe(requestHash("agent-1", b));
    expect(requestHash("agent-1", parse({ ...base, resource: { ...base.resource, attributes: {} } }))).toBe(
      requestHash("agent-1", parse(base)),
    );
  });

  it("differs for another agent, action, resource, attribute or context value", () => {
    const h = requestHash("agent-1", parse(base));
    expect(requestHash("agent-2", parse(base))).not.toBe(h);
    expect(requestHash("agent-1", parse({ ...base, action: "payments.approve" }))).not.toBe(h);
    expect(requestHash("agent-1", parse({ ...base, resource: { type: "Payment", id: "p-2" } }))).not.toBe(h);
    expect(requestHash("agent-1", parse({ ...base, context: { amount: 11 } }))).not.toBe(h);
    expect(
      requestHash("agent-1", parse({ ...base, resource: { ...base.resource, attributes: { supplier: "x" } } })),
    ).not.toBe(h);
  });
});
