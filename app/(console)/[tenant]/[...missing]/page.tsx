import { notFound } from "next/navigation";

// An address no route matches under a tenant: the tenant's 404, inside the console shell (the
// tenant's layout has already checked the caller may see the tenant).
export default function Missing() {
  notFound();
}
