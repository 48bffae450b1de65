// Security headers on every reply, and a strict Content-Security-Policy on HTML pages: nothing
// loads from elsewhere, no inline code runs but the page's own inline scripts and styles (allowed by
// their SHA-256, computed as the page is sent), no framing, no form posts, no plugins.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

const sha = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Hashes of the inline <script> (without src) and <style> blocks of a page. */
export function inlineHashes(html: string): { scripts: string[]; styles: string[] } {
  const scripts = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)].map((m) => sha(m[1]!));
  const styles = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => sha(m[1]!));
  return { scripts, styles };
}

export function contentSecurityPolicy(html: string): string {
  const { scripts, styles } = inlineHashes(html);
  return [
    "default-src 'none'",
    `script-src 'self'${scripts.length ? ` ${scripts.join(' ')}` : ''}`,
    `style-src 'self'${styles.length ? ` ${styles.join(' ')}` : ''}`,
    "img-src 'self' data:",
    // hls.js feeds the <video> through MediaSource (blob: URLs) and may run its demuxer in a blob: worker.
    "media-src 'self' blob:",
    "worker-src 'self' blob:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      const html = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
      reply.header('Content-Security-Policy', contentSecurityPolicy(html));
      reply.header('X-Frame-Options', 'DENY');
    }
    return payload;
  });
}
