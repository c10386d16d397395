// JSON as the simulator holds it: request bodies once parsed (JSON, YAML or protobuf) and stored
// objects. Code that walks arbitrary JSON (patches, server-side apply) narrows these instead of `any`.
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

export interface JsonObject {
  [key: string]: JsonValue;
}

/** A JSON object: not null, not an array. Its children are JSON too, as everything parsed from a body is. */
export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A JSON value as a message shows it: a string as it is, anything else as JSON. */
export const jsonText = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : String(JSON.stringify(value)));
