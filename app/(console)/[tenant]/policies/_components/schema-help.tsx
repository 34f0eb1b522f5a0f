import { BookOpen } from "lucide-react";

const EXAMPLES = [
  {
    title: "Permit an action on one resource type",
    text: 'permit (principal is Agent, action == Action::"documents.read", resource is Document)\nwhen { resource has tenant && resource.tenant == principal.tenant };',
  },
  {
    title: "Ask a person first (a permit marked @needs_approval)",
    text: '@needs_approval\npermit (principal is Agent, action == Action::"payments.create", resource is Payment)\nwhen { context has amount && context.amount > 1000 };',
  },
  {
    title: "Forbid, whatever else permits",
    text: 'forbid (principal is Agent, action == Action::"email.send", resource)\nwhen { context has recipient_domain && context.recipient_domain != "acme.example" };',
  },
  {
    title: "Payments only at depth 0 (the agent's own token, not an exchanged one)",
    text: 'permit (principal, action == Action::"payments.create", resource)\nwhen { context.depth == 0 };',
  },
  {
    title: "Refunds only through the payments MCP server (the token's audience)",
    text: 'forbid (principal, action == Action::"payments.refund", resource)\nwhen { context.audience != "https://mcp.example.com/mcp" };',
  },
  {
    title: "Never when the research agent is in the chain",
    text: 'forbid (principal, action, resource)\nwhen { context.chain.contains(Agent::"<agent id>") };',
  },
];

/** The schema policies are validated against, and a few patterns to start from. */
export function SchemaHelp({ schema }: { schema: string }) {
  return (
    <details className="group rounded-md border border-slate-200 text-sm dark:border-slate-800">
      <summary className="flex cursor-pointer list-none items-center gap-2 px-3 py-2 font-medium text-slate-700 hover:bg-slate-50 dark:text-slate-300 dark:hover:bg-slate-800/60">
        <BookOpen className="size-4 text-indigo-500" aria-hidden /> Schema and examples
      </summary>
      <div className="space-y-4 border-t border-slate-200 p-3 dark:border-slate-800">
        <p className="text-slate-600 dark:text-slate-400">
          Actions are scope names. The agent&apos;s free attributes are tags (
          <code>principal.hasTag(&quot;team&quot;)</code>, <code>principal.getTag(&quot;team&quot;)</code>), and so are
          a resource&apos;s attributes other than <code>tenant</code> and <code>owner</code>. Optional context fields
          (such as <code>context.on_behalf_of</code>, the person a delegated token acts for) need a{" "}
          <code>context has …</code> test before use. Three are always there: <code>context.chain</code>, the agents of
          the token&apos;s delegation chain from its origin to the caller (a <code>Set&lt;Agent&gt;</code>, just the
          caller for its own token), <code>context.depth</code>, how many token exchanges deep it is (0 for the
          agent&apos;s own token), and <code>context.audience</code>, the resource server the token is for:
          Mandate&apos;s API, or a server relaying the token to ask (an MCP server before a tool call).
        </p>
        {EXAMPLES.map((e) => (
          <div key={e.title}>
            <p className="mb-1 text-xs font-medium text-slate-600 dark:text-slate-400">{e.title}</p>
            <pre className="overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs dark:bg-slate-950">{e.text}</pre>
          </div>
        ))}
        <div>
          <p className="mb-1 text-xs font-medium text-slate-600 dark:text-slate-400">Schema (Cedar)</p>
          <pre className="max-h-72 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs dark:bg-slate-950">
            {schema}
          </pre>
        </div>
      </div>
    </details>
  );
}
