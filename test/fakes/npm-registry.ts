// A fake npm registry on 127.0.0.1: abbreviated package documents (GET /<name>) listing versions
// with dist.tarball and dist.integrity (sha512, as registry.npmjs.org gives them), and the
// tarballs (GET /-/<file>). Packages are folders turned into npm-style .tgz files (entries under
// package/) with the system's tar.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';

export interface FakePackageVersion { version: string; files: Record<string, { text: string; mode?: number }> }

export interface FakeRegistry {
  url: string;
  /** Request paths seen, in order. */
  requests: string[];
  /** Replaces a tarball's bytes (its advertised integrity stays: a corrupted download). */
  corrupt(name: string, version: string): void;
  close(): Promise<void>;
}

export async function startFakeRegistry(work: string, packages: Record<string, FakePackageVersion[]>): Promise<FakeRegistry> {
  const tarballs = new Map<string, Buffer>();
  const docs = new Map<string, { name: string; versions: Record<string, unknown> }>();
  const requests: string[] = [];
  let base = '';
  for (const [name, versions] of Object.entries(packages)) {
    const doc = { name, versions: {} as Record<string, unknown> };
    for (const v of versions) {
      const dir = join(work, `${name}-${v.version}`);
      for (const [rel, f] of Object.entries(v.files)) {
        const path = join(dir, 'package', rel);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, f.text, { mode: f.mode ?? 0o644 });
      }
      const tgz = join(work, `${name}-${v.version}.tgz`);
      execFileSync('tar', ['-czf', tgz, '-C', dir, 'package']);
      const bytes = readFileSync(tgz);
      const file = `${name}-${v.version}.tgz`;
      tarballs.set(file, bytes);
      doc.versions[v.version] = { name, version: v.version, dist: {
        get tarball() { return `${base}/-/${file}`; },
        integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
      } };
    }
    docs.set(name, doc);
  }
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    if (path.startsWith('/-/') && tarballs.has(path.slice(3))) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(tarballs.get(path.slice(3)));
      return;
    }
    const doc = docs.get(path.slice(1));
    if (!doc) { res.writeHead(404, { 'content-type': 'application/json' }); res.end('{"error":"Not found"}'); return; }
    res.writeHead(200, { 'content-type': 'application/vnd.npm.install-v1+json' });
    res.end(JSON.stringify(doc));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url: base,
    requests,
    corrupt(name, version) {
      const file = `${name}-${version}.tgz`;
      const b = Buffer.from(tarballs.get(file)!);
      b[b.length - 10] = b[b.length - 10]! ^ 0xff;
      tarballs.set(file, b);
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
