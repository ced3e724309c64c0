import { formatDateTime, formatRelative } from "@/app/_components/format";
import type { ServerStatus } from "@/lib/servers/describe";

/** One line on what the hub last saw of a server. */
export function ServerStatusLine({ status }: { status: ServerStatus }) {
  switch (status.kind) {
    case "error":
      return (
        <span className="text-red-700" title={`${status.error} (${formatDateTime(status.at)})`}>
          <span className="font-medium">Failed {formatRelative(status.at)}:</span>{" "}
          <span className="line-clamp-2 break-words">{status.error}</span>
        </span>
      );
    case "tools":
      return (
        <span className="text-slate-700">
          <span className="font-medium">
            {status.count} tool{status.count === 1 ? "" : "s"}
          </span>
          {status.at && <span className="text-slate-500"> · listed {formatRelative(status.at)}</span>}
          {status.protocolVersion && (
            <span className="text-slate-500" title="The MCP revision the hub's connection to it negotiated">
              {" "}
              · MCP {status.protocolVersion}
            </span>
          )}
        </span>
      );
    case "builtin":
      return <span className="text-slate-600">Served by the hub</span>;
    default:
      return <span className="text-slate-500">Tools not listed yet: open it and test the connection</span>;
  }
}
