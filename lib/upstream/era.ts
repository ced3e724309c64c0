import type { Client } from "@modelcontextprotocol/client";

/** Whether a connection speaks 2026-07-28, where answers may be `input_required` results. */
export function speaksModern(client: Client): boolean {
  return client.getNegotiatedProtocolVersion() === "2026-07-28";
}

/** How long to wait before listening again after an upstream ended the list-change stream. */
const RELISTEN_DELAY_MS = 1_000;

/**
 * A 2026-07-28 upstream sends list changes only on a subscriptions/listen stream (there is no
 * unsolicited notification): the hub opens one per connection for the lists the server says can
 * change, so the handlers registered for `notifications/{tools,prompts,resources}/list_changed` keep
 * invalidating the cached lists. A stream the upstream drops is reopened, and `onLost` is told (the
 * lists may have changed unseen); a connection that closed is left alone.
 */
export async function listenForListChanges(
  client: Client,
  options: { onLost: () => void; isOpen: () => boolean },
): Promise<void> {
  const capabilities = client.getServerCapabilities();
  const filter = {
    ...(capabilities?.tools?.listChanged && { toolsListChanged: true }),
    ...(capabilities?.prompts?.listChanged && { promptsListChanged: true }),
    ...(capabilities?.resources?.listChanged && { resourcesListChanged: true }),
  };
  if (Object.keys(filter).length === 0) return;
  const listening = await client.listen(filter);
  void listening.closed.then((how) => {
    if (how !== "remote" || !options.isOpen()) return;
    options.onLost();
    setTimeout(() => {
      if (options.isOpen()) void listenForListChanges(client, options).catch(() => {});
    }, RELISTEN_DELAY_MS).unref();
  });
}
