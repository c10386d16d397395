import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest, unsupportedMediaType } from '../api/status';
import { decodeKubernetesProtobuf, UndecodedKindError } from '../protobuf/decode';
import { readBodyBytes } from './limits';

/** Protobuf (what kubectl's typed commands send): the kinds src/protobuf has tables for; see README. */
function fromProtobuf(body: Buffer): unknown {
  if (body.length === 0) return undefined; // a DELETE without options
  try {
    return decodeKubernetesProtobuf(body);
  } catch (error) {
    if (error instanceof UndecodedKindError) {
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `kube-sim decodes protobuf bodies of the kinds it serves only, not ${error.message}: send it as JSON or YAML`,
      );
    }
    throw badRequest(`the request body could not be decoded: ${(error as Error).message}`);
  }
}

/** Reads a request body as JSON or YAML (a YAML parser reads JSON too), or protobuf. */
export async function readBody(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (type.includes('cbor')) {
    req.resume();
    throw unsupportedMediaType(type.split(';')[0]);
  }
  const body = await readBodyBytes(req);
  if (type.includes('protobuf')) return fromProtobuf(body);
  const text = body.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return type.includes('yaml') ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw badRequest(`the request body could not be decoded: ${(error as Error).message.split('\n')[0]}`);
  }
}
