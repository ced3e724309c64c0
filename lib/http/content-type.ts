/** True when a Content-Type header names exactly application/json (parameters such as charset allowed). */
export function isJsonMediaType(contentType: string | null): boolean {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() === "application/json";
}
