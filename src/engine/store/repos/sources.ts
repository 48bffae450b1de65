import type { Db } from '../db.js';
import { bool, iso, isoOr, json } from '../rows.js';
import type { MediaSource } from '../../../schemas/library.js';
import { ConflictError, NotFoundError } from '../../errors.js';

interface SourceRow {
  id: number; kind: MediaSource['kind']; name: string; config: string; enabled: number;
  created_at: number; last_scan_at: number | null; last_scan_status: string | null;
  items: number; missing: number; unreadable: number;
}

const SELECT = `SELECT s.*,
  (SELECT count(*) FROM media_items i WHERE i.source_id = s.id) AS items,
  (SELECT count(*) FROM media_items i WHERE i.source_id = s.id AND i.status = 'missing') AS missing,
  (SELECT count(*) FROM media_items i WHERE i.source_id = s.id AND i.status = 'unreadable') AS unreadable
  FROM media_sources s`;

const toSource = (r: SourceRow): MediaSource => ({
  id: r.id, kind: r.kind, name: r.name, config: json(r.config, {}), enabled: bool(r.enabled),
  createdAt: isoOr(r.created_at), lastScanAt: iso(r.last_scan_at), lastScanStatus: r.last_scan_status,
  items: r.items, missing: r.missing, unreadable: r.unreadable,
});

export class SourcesRepo {
  constructor(private readonly db: Db) {}

  list(): MediaSource[] {
    return (this.db.prepare(`${SELECT} ORDER BY s.id`).all() as SourceRow[]).map(toSource);
  }

  find(id: number): MediaSource | undefined {
    const r = this.db.prepare(`${SELECT} WHERE s.id = ?`).get(id) as SourceRow | undefined;
    return r && toSource(r);
  }

  get(id: number): MediaSource {
    const s = this.find(id);
    if (!s) throw new NotFoundError(`media source ${id}`);
    return s;
  }

  findByName(name: string): MediaSource | undefined {
    const r = this.db.prepare(`${SELECT} WHERE s.name = ? COLLATE NOCASE`).get(name) as SourceRow | undefined;
    return r && toSource(r);
  }

  create(kind: MediaSource['kind'], name: string, config: Record<string, unknown>): MediaSource {
    if (this.db.prepare('SELECT 1 FROM media_sources WHERE kind = ? AND name = ?').get(kind, name)) {
      throw new ConflictError(`a ${kind} source named "${name}" already exists`, 'name');
    }
    const info = this.db.prepare('INSERT INTO media_sources (kind, name, config, created_at) VALUES (?, ?, ?, ?)')
      .run(kind, name, JSON.stringify(config), Date.now());
    return this.get(Number(info.lastInsertRowid));
  }

  /** Replaces a source's config (a scan learns e.g. an IPTV playlist's guide URL). */
  setConfig(id: number, config: Record<string, unknown>): void {
    this.db.prepare('UPDATE media_sources SET config = ? WHERE id = ?').run(JSON.stringify(config), id);
  }

  recordScan(id: number, status: string, at = Date.now()): void {
    this.db.prepare('UPDATE media_sources SET last_scan_at = ?, last_scan_status = ? WHERE id = ?').run(at, status, id);
  }

  remove(id: number): void {
    const info = this.db.prepare('DELETE FROM media_sources WHERE id = ?').run(id);
    if (info.changes === 0) throw new NotFoundError(`media source ${id}`);
  }
}
