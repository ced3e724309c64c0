import { getPublicUrl } from "@/lib/config/env";

/** What a person is told when a server needs a credential they have not linked. */
export function linkMessage(credential: string): string {
  return `Needs your ${credential}: link it at ${getPublicUrl()}/account/connections`;
}
