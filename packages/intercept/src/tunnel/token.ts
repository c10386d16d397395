import { randomBytes } from 'node:crypto';

/** A fresh agent token: 32 random bytes, URL-safe (goes into an env var and a Secret). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}
