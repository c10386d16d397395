// The host's CA bundle, handed to image builds as a BuildKit secret so that npm inside a build
// trusts what the host trusts (a company's or this machine's TLS-intercepting proxy).
import { existsSync } from 'node:fs';

const WELL_KNOWN = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

/** NODE_EXTRA_CA_CERTS or SSL_CERT_FILE when set, else the system bundle; undefined when there is none. */
export function hostCaBundle(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return [env.NODE_EXTRA_CA_CERTS, env.SSL_CERT_FILE, ...WELL_KNOWN].find((file): file is string => !!file && existsSync(file));
}
