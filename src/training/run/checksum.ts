/** FNV-1a (32-bit) of some bytes, as 8 hex digits: enough to tell a damaged file from its copy. */
export const fnv1a = (bytes: Uint8Array): string => {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
};
