import type { IrImageSource } from '../dialects/ir.js';

const DATA_URL = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s;

/** An image/file URL as the IR source: `data:` URLs become base64, anything else stays a URL. */
export function sourceFromUrl(url: string): IrImageSource {
  const m = DATA_URL.exec(url);
  if (m) return { type: 'base64', mediaType: m[1] ?? 'application/octet-stream', data: m[2] ?? '' };
  return { type: 'url', url };
}

/** The IR source as one URL string (a `data:` URL for base64), for dialects that take URLs. */
export function urlFromSource(source: IrImageSource): string {
  return source.type === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`;
}

const EXTENSION_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
};

/** Best guess of a remote file's media type from its URL, for dialects that require one (Gemini fileData). */
export function mediaTypeFromUrl(url: string): string {
  const ext = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(url)?.[1]?.toLowerCase();
  return (ext && EXTENSION_TYPES[ext]) || 'image/jpeg';
}
