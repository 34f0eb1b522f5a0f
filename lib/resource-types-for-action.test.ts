import { describe, expect, it } from "vitest";
import { resourceTypesFor } from "./resource-types-for-action";
import { RESOURCE_TYPE_LIST } from "./schemas/decision-vocabulary";

const first = (action: string) => resourceTypesFor(action).suggested[0];

describe("resource types proposed for an action", () => {
  it("proposes the type the action's name gives, singular or plural", () => {
    expect(first("payments.create")).toBe("Payment");
    expect(first("email.send")).toBe("Email");
    expect(first("email.read")).toBe("Email");
    expect(first("contacts.write")).toBe("Contact");
    expect(first("documents.read")).toBe("Document");
    expect(first("tickets.write")).toBe("Ticket");
    expect(first("files.delete")).toBe("File");
    expect(first("messages.post")).toBe("Message");
  });

  it("reads a type from any segment, and from the start or end of a type's name", () => {
    expect(first("hr.records.read")).toBe("Record");
    expect(first("crm.records.write")).toBe("Record");
    expect(first("calendar.write")).toBe("CalendarEvent");
    expect(first("calendar.events.write")).toBe("CalendarEvent");
    expect(first("mail.send")).toBe("Email");
    expect(first("docs.read")).toBe("Document");
    expect(first("pay.out")).toBe("Payment");
  });

  it("proposes nothing from verbs or names that match no type", () => {
    expect(resourceTypesFor("acme.warehouse.read").suggested).toEqual([]);
    expect(resourceTypesFor("hr.read").suggested).toEqual([]);
    expect(resourceTypesFor("agents.create").suggested).toEqual([]);
    expect(resourceTypesFor("").suggested).toEqual([]);
  });

  it("keeps every type on offer, each once, with the proposals first", () => {
    for (const action of ["payments.create", "calendar.events.write", "acme.warehouse.read", "email.send"]) {
      const { suggested, others } = resourceTypesFor(action);
      expect([...suggested, ...others].sort()).toEqual([...RESOURCE_TYPE_LIST].sort());
    }
    expect(resourceTypesFor("email.send").others).toEqual(RESOURCE_TYPE_LIST.filter((t) => t !== "Email"));
  });

  it("lists several proposals in the order the name gives them", () => {
    expect(resourceTypesFor("tickets.messages.send").suggested).toEqual(["Ticket", "Message"]);
    expect(resourceTypesFor("Files.Documents.Read").suggested).toEqual(["File", "Document"]);
  });
});
