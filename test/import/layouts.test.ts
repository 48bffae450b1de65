// The three readers against the real programs' layouts, one level below the API: Tunarr's older
// lineup layout (a nested `programming`, a plain random-slot durationMs) next to the current one, and
// its local media sources (folders in media_source_library);
// ErsatzTV's artwork cache (a logo named by hash, a watermark that is the channel's logo), mirror
// channels and block playouts, MultipleMode "collection size", single-film schedule items, Emby with
// its emby-secrets.json; dizqueTV's two slot settings, custom-show items kept out of "movie.", and a
// watermark whose empty url means the channel's icon.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readDizqueTv } from '../../src/engine/import/dizquetv.js';
import { readErsatzTv } from '../../src/engine/import/ersatztv.js';
import type { ForeignChannel, ForeignPool } from '../../src/engine/import/model.js';
import { readTunarr } from '../../src/engine/import/tunarr.js';
import { copyFixture, sqlDb } from '../helpers/import-fixtures.js';

const KEYS = Object.fromEntries(['bluey', 'e1', 'e2', 'e3', 'heat', 'alien', 'bumperA', 'bumperB'].map((k, i) => [k, String(1000 + i)]));
const VARS = { PLEX_URL: 'http://192.0.2.7:32400', PLEX_TOKEN: 'tok', MEDIA: '/srv/media' };
const poolTitles = (p: ForeignPool) => ('refs' in p ? p.refs.map((r) => r.title) : [p.id]);
const byNumber = (chans: ForeignChannel[], n: string) => chans.find((c) => c.number === n)!;

describe('import readers and the real layouts', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'exs-layouts-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('Tunarr: the older lineup layout reads as the current one; on demand comes from onDemandConfig', () => {
    const dir = join(tmp, 'tunarr');
    copyFixture('tunarr', dir, VARS, KEYS);
    sqlDb(join(dir, 'db.db'), ['tunarr/schema.sql', 'tunarr/data.sql'], VARS, KEYS);
    const db = new Database(join(dir, 'db.db'));
    db.exec(`UPDATE program SET external_source_id = 'plex-before-rename'; -- the name it had when the rows were written
      INSERT INTO media_source (uuid, access_token, "index", name, type, uri, media_type) VALUES ('0b8e0c2a-2222-4a1e-9c55-5f2bb1a5c002', '', 1, 'home', 'local', '', 'movies');
      INSERT INTO media_source_library (uuid, name, media_type, media_source_id, external_key, enabled) VALUES
        ('l1', '1', 'movies', '0b8e0c2a-1111-4a1e-9c55-5f2bb1a5c001', '1', 1),
        ('l2', '/srv/films', 'movies', '0b8e0c2a-2222-4a1e-9c55-5f2bb1a5c002', '/srv/films', 1),
        ('l3', '/srv/home-videos', 'movies', '0b8e0c2a-2222-4a1e-9c55-5f2bb1a5c002', '/srv/home-videos', 1);`);
    db.close();
    const current = readTunarr(dir);
    const file = join(dir, 'channel-lineups', 'c0000000-0000-4000-8000-00000000000c.json');
    const v5 = JSON.parse(readFileSync(file, 'utf8'));
    // Before Tunarr's lineup migrations 3→4 and RandomSlotDurationSpec: programming nested, durationMs on the slot.
    const old = { ...v5, version: 2, onDemandConfig: undefined, schedule: { ...v5.schedule, slots: v5.schedule.slots.map((s: any) => {
      const { type, showId, customShowId, durationSpec, ...rest } = s;
      return { ...rest, durationMs: durationSpec.durationMs ?? 3_600_000, programming: { type, ...(showId ? { showId } : {}), ...(customShowId ? { customShowId } : {}) } };
    }) } };
    writeFileSync(file, JSON.stringify(old));
    const older = readTunarr(dir);
    assert.deepEqual(current.libraries, [{ name: 'home (films)', path: '/srv/films' }, { name: 'home (home-videos)', path: '/srv/home-videos' }], 'local folders are media_source_library rows');
    assert.deepEqual(current.servers.map((x) => x.name), ['basement-plex']);
    const [a, b] = [byNumber(current.channels, '12'), byNumber(older.channels, '12')];
    assert.deepEqual([a.onDemand, b.onDemand], [true, false]);
    assert.ok(a.programming.kind === 'random_slots' && b.programming.kind === 'random_slots');
    assert.deepEqual(a.programming.slots.map((s) => s.pool), b.programming.slots.map((s) => s.pool));
    assert.deepEqual(a.programming.slots.map((s) => [s.count, s.durationMs]), [[2, 1_800_000], [undefined, 7_200_000]]);
    assert.deepEqual(b.programming.slots.map((s) => [s.count, s.durationMs]), [[undefined, 3_600_000], [undefined, 7_200_000]]);
    assert.deepEqual(poolTitles(a.programming.slots[0]!.pool), ['Magic Xylophone 1', 'Magic Xylophone 2', 'Magic Xylophone 3'], 'showId is the program_grouping uuid');
    const nights = byNumber(current.channels, '11').programming;
    assert.ok(nights.kind === 'time_slots');
    assert.deepEqual(nights.slots.map((s) => [s.startMin, s.pool.type]), [[1080, 'show'], [1200, 'refs'], [1320, 'list']]);
    assert.ok(current.notes.some((n) => /channel 11: a "flex" slot/.test(n)));
    assert.equal(current.channels[0]!.programming.kind === 'list' && current.channels[0]!.programming.entries.find((e) => e.type === 'item')?.ref.server, 'basement-plex',
      'media_source_id names the server');
  });

  it('ErsatzTV: artwork cache paths, a logo watermark, a switched-off one, mirror and block channels, collection-size counts, a single film, Emby', () => {
    const dir = join(tmp, 'etv');
    copyFixture('ersatztv', dir, VARS, KEYS);
    const file = join(dir, 'ersatztv.sqlite3');
    sqlDb(file, ['ersatztv/schema.sql', 'ersatztv/data.sql'], VARS, KEYS);
    writeFileSync(join(dir, 'emby-secrets.json'), JSON.stringify({ Address: 'http://192.0.2.9:8096', ApiKey: 'emby-key' }));
    const db = new Database(file);
    db.exec(`
      INSERT INTO "MediaSource" ("Id") VALUES (3);
      INSERT INTO "EmbyMediaSource" ("Id", "ServerName", "OperatingSystem") VALUES (3, 'den-emby', 'Linux');
      INSERT INTO "EmbyConnection" ("Address", "EmbyMediaSourceId") VALUES ('http://192.0.2.9:8096', 3);
      INSERT INTO "Library" ("Id", "Name", "MediaKind", "MediaSourceId") VALUES (4, 'Emby Films', 1, 3);
      INSERT INTO "LibraryPath" ("Id", "Path", "LibraryId") VALUES (4, 'emby-films', 4);
      INSERT INTO "MediaItem" ("Id", "LibraryPathId", "State") VALUES (30, 4, 0);
      INSERT INTO "Movie" ("Id") VALUES (30);
      INSERT INTO "EmbyMovie" ("Id", "ItemId", "Etag") VALUES (30, 'a1b2c3d4e5', 'x');
      INSERT INTO "MovieMetadata" ("MovieId", "Title", "Year") VALUES (30, 'Ronin', 1998);
      INSERT INTO "MediaVersion" ("Name", "Duration", "MovieId") VALUES ('Main', '02:02:00', 30);
      INSERT INTO "ChannelWatermark" ("Id", "Name", "Mode", "Image", "ImageSource", "Location", "WidthPercent") VALUES
        (2, 'Logo bug', 1, NULL, 1, 3, 10), (3, 'Switched off', 0, 'C0FFEE', 0, 0, 10);
      UPDATE "Channel" SET "WatermarkId" = 2 WHERE "Id" = 2;
      UPDATE "Channel" SET "WatermarkId" = 3 WHERE "Id" = 3;
      INSERT INTO "Artwork" ("Path", "ArtworkKind", "ChannelId") VALUES ('4F0A9C2E77B1D3', 2, 2);
      UPDATE "ProgramScheduleMultipleItem" SET "MultipleMode" = 1, "Count" = NULL WHERE "Id" = 1;
      UPDATE "ProgramScheduleItem" SET "CollectionType" = 10, "MediaItemId" = 30 WHERE "Id" = 4;
      INSERT INTO "Channel" ("Id", "UniqueId", "Number", "Name", "Group", "FFmpegProfileId", "StreamingMode", "PlayoutSource", "MirrorSourceChannelId") VALUES
        (4, 'a0e5c1f2-3b4d-4e6f-8a9b-0c1d2e3f4a04', '23', 'ETV Mirror', 'ErsatzTV', 1, 1, 1, 1),
        (5, 'a0e5c1f2-3b4d-4e6f-8a9b-0c1d2e3f4a05', '24', 'ETV Blocks', 'ErsatzTV', 1, 1, 0, NULL);
      INSERT INTO "Playout" ("ChannelId", "ProgramScheduleId", "ScheduleKind", "Seed") VALUES (4, 1, 1, 1), (5, 1, 2, 1);`);
    db.close();
    const data = readErsatzTv(file);
    assert.deepEqual(data.servers.map((s) => [s.name, s.kind, s.url, s.token]), [['basement-plex', 'plex', VARS.PLEX_URL, 'tok'], ['den-emby', 'emby', 'http://192.0.2.9:8096', 'emby-key']]);
    const comedy = byNumber(data.channels, '20');
    assert.deepEqual(comedy.watermark, { image: join(dir, 'cache', 'artwork', 'watermarks', 'B0', 'B0A1C2D3E4F5061728394A5B6C7D8E9F'), position: 'top-right', widthPct: 12 });
    assert.equal(comedy.icon, 'https://example.org/etv/20.png', 'an external logo URL stays a URL');
    const evenings = byNumber(data.channels, '21.1');
    const logo = join(dir, 'cache', 'artwork', 'logos', '4F', '4F0A9C2E77B1D3');
    assert.equal(evenings.icon, logo);
    assert.deepEqual(evenings.watermark, { image: logo, position: 'top-left', widthPct: 10 }, 'ImageSource 1: the channel logo');
    assert.equal(byNumber(data.channels, '22').watermark, null, 'Mode 0: no watermark');
    assert.ok(comedy.programming.kind === 'rotation');
    const [show, , , film] = comedy.programming.items;
    assert.deepEqual(show!.fill, { mode: 'count', count: 3 }, 'MultipleMode 1: as many as the show has');
    assert.deepEqual([poolTitles(film!.pool), film!.pool.type === 'refs' && film!.pool.refs[0]!.server, film!.pool.type === 'refs' && film!.pool.refs[0]!.key], [['Ronin'], 'den-emby', 'a1b2c3d4e5']);
    for (const n of ['23', '24']) assert.deepEqual(byNumber(data.channels, n).programming, { kind: 'list', entries: [] });
    assert.ok(data.notes.some((n) => n === 'channel 23: mirrors another channel in ErsatzTV: imported without programming'));
    assert.ok(data.notes.some((n) => n === 'channel 24: its playout is a block, sequential, scripted or external schedule: imported without programming'));
  });

  it('dizqueTV: time slots from scheduleBackup, random slots from randomScheduleBackup, custom-show films kept out of "movie.", an icon watermark', () => {
    const dir = join(tmp, 'dizquetv');
    copyFixture('dizquetv', dir, VARS, KEYS);
    const five = JSON.parse(readFileSync(join(dir, 'channels', '5.json'), 'utf8'));
    five.icon = '/srv/logos/mix.png';
    five.watermark = { enabled: true, url: '', position: 'top-left', width: 5, verticalMargin: 1, horizontalMargin: 1, duration: 0, fixedSize: false, animated: false };
    five.scheduleBackup = { lateness: 0, maxDays: 365, flexPreference: 'distribute', pad: 1, timeZoneOffset: 0, period: 86_400_000,
      slots: [{ time: 0, showId: 'movie.', order: 'next' }, { time: 3_600_000, showId: 'custom.9d3b9f0e-2f0a-4c1e-8f0b-6b1f0f6a2b22', order: 'next' }] };
    writeFileSync(join(dir, 'channels', '5.json'), JSON.stringify(five));
    const data = readDizqueTv(dir);
    const p5 = byNumber(data.channels, '5').programming;
    assert.ok(p5.kind === 'time_slots');
    assert.deepEqual(p5.slots.map((s) => poolTitles(s.pool)), [[], ['9d3b9f0e-2f0a-4c1e-8f0b-6b1f0f6a2b22']], 'Heat and Alien came in from the custom show');
    assert.ok(data.notes.includes('channel 5: both time slot and random slot settings are saved; the time slots are used'));
    assert.equal(byNumber(data.channels, '2').programming.kind, 'time_slots');
    assert.deepEqual(byNumber(data.channels, '5').watermark, { image: '/srv/logos/mix.png', position: 'top-left', widthPct: 5 }, 'url "": the channel icon');
    assert.deepEqual(data.customShows.map((l) => [l.id, l.name, l.refs.length]), [['9d3b9f0e-2f0a-4c1e-8f0b-6b1f0f6a2b22', 'Crime Classics', 2]], 'the id is the file name');
    assert.ok(data.channels.every((c) => c.programming.kind !== 'list' || c.programming.entries.every((e) => e.type !== 'item' || Object.keys(e.ref.ids).length === 0)));
  });
});
