import { getPublicUrl } from "@/lib/config/env";

/** What a person is told when a server needs a credential they have not linked. */
export function linkMessage(credential: string): string {
  return `Needs your ${credential}: link it at ${linkUrl(credential)}`;
}

/** The hub's own page where a person links a credential: never a third party, never a secret in it. */
export function linkUrl(_credential: string): string {
  return `${getPublicUrl()}/account/connections`;
}
