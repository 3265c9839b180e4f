/** The compressions the server sends: brotli and gzip (web/server.ts, and cached analyses' stored copies). */
export type ContentEncoding = 'br' | 'gzip';

/**
 * The encoding to send under an Accept-Encoding header: brotli or gzip, whichever the client weighs more (brotli
 * on a tie, as the server's compression prefers), or none. A q of 0 refuses an encoding; `*` stands for any other.
 */
export function preferredEncoding(acceptEncoding: string | undefined): ContentEncoding | null {
  if (!acceptEncoding) return null;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (name) weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (encoding: ContentEncoding) => weights.get(encoding) ?? weights.get('*') ?? 0;
  const [br, gzip] = [weightOf('br'), weightOf('gzip')];
  if (br <= 0 && gzip <= 0) return null;
  return br >= gzip ? 'br' : 'gzip';
}
