import { createHash } from 'node:crypto';

/** The 12 hex characters that name a file of .media-dedupe after what it is for (a hasher's settings, a manifest's name): sha1, short enough for a file name. */
export const fileKey = (text: string): string => createHash('sha1').update(text).digest('hex').slice(0, 12);
