import dns, { type LookupAddress, type LookupAllOptions } from "node:dns";
import { BlockList, isIP } from "node:net";
import { Agent } from "undici";
import { getEnv } from "@/lib/config/env";

/**
 * Where the hub must not connect on a server's behalf unless an admin allows it: the cloud
 * providers' instance metadata services (which hand out the machine's own credentials) and the
 * link-local ranges they live in. A remote server URL, or a person's credential substituted into
 * one, must not turn the hub into a way to reach them.
 */
const refusedRanges = new BlockList();
refusedRanges.addSubnet("169.254.0.0", 16, "ipv4"); // link-local; AWS, GCP, Azure, OCI metadata at .169.254
refusedRanges.addAddress("100.100.100.200", "ipv4"); // Alibaba Cloud metadata
refusedRanges.addSubnet("fe80::", 10, "ipv6"); // IPv6 link-local
refusedRanges.addAddress("fd00:ec2::254", "ipv6"); // AWS metadata over IPv6

const METADATA_HOSTS = new Set([
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "instance-data",
  "instance-data.ec2.internal",
]);

export const OUTBOUND_ALLOW_VARIABLE = "MCPHUB_OUTBOUND_ALLOW";

export class OutboundRefusedError extends Error {
  override name = "OutboundRefusedError";
  readonly code = "EOUTBOUND_REFUSED";
}

/** An admin's exceptions, from MCPHUB_OUTBOUND_ALLOW: host names, addresses and CIDR ranges. */
export type OutboundAllowlist = { hosts: Set<string>; ranges: BlockList };

export function parseAllowlist(text: string | undefined): OutboundAllowlist {
  const hosts = new Set<string>();
  const ranges = new BlockList();
  for (const raw of (text ?? "").split(",")) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    const [address, bits] = entry.split("/");
    const family = isIP(address ?? "");
    const type = family === 4 ? "ipv4" : "ipv6";
    if (family && bits !== undefined) ranges.addSubnet(address as string, Number(bits), type);
    else if (family) ranges.addAddress(address as string, type);
    else hosts.add(entry);
  }
  return { hosts, ranges };
}

let cachedAllowlist: { source: string | undefined; list: OutboundAllowlist } | undefined;
function currentAllowlist(): OutboundAllowlist {
  const source = getEnv()[OUTBOUND_ALLOW_VARIABLE];
  if (!cachedAllowlist || cachedAllowlist.source !== source)
    cachedAllowlist = { source, list: parseAllowlist(source) };
  return cachedAllowlist.list;
}

/** An IPv4 address hidden in an IPv4-mapped IPv6 one (::ffff:a9fe:a9fe is 169.254.169.254). */
function unmapped(address: string): { address: string; family: "ipv4" | "ipv6" } {
  const mapped = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(address);
  if (mapped?.[1]) return { address: mapped[1], family: "ipv4" };
  if (mapped?.[2] && mapped[3]) {
    const high = Number.parseInt(mapped[2], 16);
    const low = Number.parseInt(mapped[3], 16);
    return { address: `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, family: "ipv4" };
  }
  return { address, family: isIP(address) === 4 ? "ipv4" : "ipv6" };
}

function refusal(what: string): string {
  return `${what}: the hub does not connect to cloud metadata or link-local addresses (an admin can allow it with ${OUTBOUND_ALLOW_VARIABLE})`;
}

/** Why the hub must not connect to this address (null: it may). */
export function addressRefusal(
  address: string,
  allow: OutboundAllowlist = currentAllowlist(),
  refused: BlockList = refusedRanges,
): string | null {
  const { address: plain, family } = unmapped(address.replace(/^\[|\]$/g, ""));
  if (!isIP(plain)) return null;
  if (allow.ranges.check(plain, family) || allow.hosts.has(plain)) return null;
  return refused.check(plain, family) ? refusal(`${address} is a refused address`) : null;
}

/** Why the hub must not connect to this host as written (an address or a metadata name); null: it may. */
export function hostRefusal(host: string, allow: OutboundAllowlist = currentAllowlist()): string | null {
  const name = host.toLowerCase().replace(/\.$/, "");
  if (allow.hosts.has(name)) return null;
  if (METADATA_HOSTS.has(name)) return refusal(`${host} is a cloud metadata host`);
  return addressRefusal(name, allow);
}

/** Refuses a URL whose host is refused as written; names are checked again when they resolve. */
export function assertUrlAllowed(url: URL): void {
  const why = hostRefusal(url.hostname);
  if (why) throw new OutboundRefusedError(why);
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A DNS lookup for outgoing connections that refuses a name resolving to a refused address, so a
 * name that points at the metadata service (or is re-pointed there after the URL was saved) is
 * caught at the moment of connecting, not only when the URL was checked.
 */
export function guardedLookup(
  allow: () => OutboundAllowlist = currentAllowlist,
  refused: BlockList = refusedRanges,
) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    const allowlist = allow();
    const byName = hostRefusal(hostname, allowlist);
    if (byName) {
      callback(new OutboundRefusedError(byName), []);
      return;
    }
    const all: LookupAllOptions = { ...options, all: true };
    dns.lookup(hostname, all, (error, addresses) => {
      if (error) {
        callback(error, []);
        return;
      }
      const trusted = allowlist.hosts.has(hostname.toLowerCase());
      for (const { address } of addresses) {
        const why = trusted ? null : addressRefusal(address, allowlist, refused);
        if (why) return callback(new OutboundRefusedError(`${hostname} resolves to ${why}`), []);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), []);
      callback(null, first.address, first.family);
    });
  };
}

const holder = globalThis as typeof globalThis & { __mcphubOutboundAgent?: Agent };

/** The connection pool every upstream HTTP request goes through, with the guarded lookup. */
export function outboundDispatcher(): Agent {
  holder.__mcphubOutboundAgent ??= new Agent({ connect: { lookup: guardedLookup() } });
  return holder.__mcphubOutboundAgent;
}
