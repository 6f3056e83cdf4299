import { randomBytes } from 'node:crypto';

/** A fresh nonce per page load, from the OS's CSPRNG (never Math.random). */
export function makeNonce(): string {
  return randomBytes(18).toString('base64url');
}
