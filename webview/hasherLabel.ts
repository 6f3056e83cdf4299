/**
 * A hasher as a person reads it: "phash16", "phash16 on video frames", never the engine's key with every
 * parameter ("video:phash:hashSize=16,highfreqFactor=4").
 */
export function hasherLabel(key: string): string {
  const video = key.startsWith('video:');
  const rest = video ? key.slice('video:'.length) : key;
  const colon = rest.indexOf(':');
  const name = colon < 0 ? rest : rest.slice(0, colon);
  const size = colon < 0 ? undefined : /(?:^|,)hashSize=(\d+)/.exec(rest.slice(colon + 1))?.[1];
  const label = `${name}${size ?? ''}`;
  return video ? `${label} on video frames` : label;
}
