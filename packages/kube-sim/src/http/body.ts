import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, unsupportedMediaType } from '../api/status';

/** Reads a request body as JSON or YAML (a YAML parser reads JSON too). */
export async function readBody(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  // Protobuf (what kubectl's typed clients send) is not decoded here; see README.
  if (type.includes('protobuf') || type.includes('cbor')) {
    req.resume();
    throw unsupportedMediaType(type.split(';')[0]);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return type.includes('yaml') ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw badRequest(`the request body could not be decoded: ${(error as Error).message.split('\n')[0]}`);
  }
}
