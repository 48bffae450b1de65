// The CLI round trip of schedules by name: `schedule show N | schedule set N -` sets the same
// schedule; shows and collections may be named instead of numbered (`--names` prints them so);
// unknown names are refused at their path; `show list`, `channel list` with content names and
// the real schedule kind; deletes ask for --yes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startApi, type TestApi } from '../helpers/api.js';
import { BIN, cli } from '../helpers/cli.js';
import { addFakeItems, addFakeSource, episodes } from '../helpers/fake-items.js';

/** Runs the CLI with `input` on stdin. */
function cliIn(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`timed out: ${args.join(' ')}`)); }, 60_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
    child.stdin.end(input);
  });
}

describe('cli: schedules by name, round trips', () => {
  let t: TestApi;
  let dir: string;
  let url: string[];
  before(async () => {
    t = await startApi({ listen: true });
    url = ['--url', t.url];
    dir = await mkdtemp(join(tmpdir(), 'exs-cli-names-'));
    const src = addFakeSource(t.engine.store);
    addFakeItems(t.engine.store, src, episodes('Night Shift', 6, 22 * 60_000));
    const bumpers = addFakeItems(t.engine.store, src, Array.from({ length: 4 }, (_, i) => ({ title: `Bumper ${i + 1}`, durationMs: 8000 })));
    await t.api.createCollection({ name: 'Bumpers', itemIds: bumpers });
    await t.api.createChannel({ number: '5', name: 'Nights' });
    await t.api.createChannel({ number: '6', name: 'Simple', content: [{ type: 'collection', id: (await t.api.collections())[0]!.id }] });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    assert.deepEqual(t.serverErrors, []);
    await t.close();
  });

  const named = {
    timezone: 'UTC',
    sources: [{ key: 'night', content: [{ type: 'show', name: 'night shift' }] }, { key: 'bumps', content: [{ type: 'collection', name: 'Bumpers' }], order: { kind: 'shuffle' } }],
    main: { mode: 'time_slots', slots: [{ start: '20:00', source: 'night', fill: { mode: 'count', count: 2 } }] },
    filler: { lists: [{ source: 'bumps', kinds: ['tail', 'fallback'] }] },
  };

  it('sets a schedule whose shows and collections are named; show | set - round-trips, by id and by name', async () => {
    const file = join(dir, 'named.json');
    await writeFile(file, JSON.stringify(named));
    const set = await cli([...url, 'schedule', 'set', '5', file]);
    assert.equal(set.code, 0, set.stderr);
    const shown = await cli([...url, 'schedule', 'show', '5']);
    assert.equal(shown.code, 0, shown.stderr);
    const first = JSON.parse(shown.stdout) as { definition: { sources: { content: { type: string; id: number }[] }[] }; revision: number };
    const showId = (await t.call('GET', '/api/shows')).body[0].id;
    assert.deepEqual(first.definition.sources[0]!.content, [{ type: 'show', id: showId }], 'names became ids');

    // The output of show, as it is, into set.
    const again = await cliIn([...url, 'schedule', 'set', '5', '-'], shown.stdout);
    assert.equal(again.code, 0, again.stderr);
    const second = JSON.parse((await cli([...url, 'schedule', 'show', '5'])).stdout) as typeof first;
    assert.deepEqual(second.definition, first.definition);

    // By name.
    const byName = await cli([...url, 'schedule', 'show', '5', '--names']);
    const withNames = JSON.parse(byName.stdout) as { definition: { sources: { content: unknown[] }[] } };
    assert.deepEqual(withNames.definition.sources.map((s) => s.content), [[{ type: 'show', name: 'Night Shift' }], [{ type: 'collection', name: 'Bumpers' }]]);
    const third = await cliIn([...url, 'schedule', 'set', '5', '-'], byName.stdout);
    assert.equal(third.code, 0, third.stderr);
    assert.deepEqual((JSON.parse((await cli([...url, 'schedule', 'show', '5'])).stdout) as typeof first).definition, first.definition);

    // Preview takes names too.
    const prev = await cli([...url, 'schedule', 'preview', file, '--hours', '2', '--json']);
    assert.equal(prev.code, 0, prev.stderr);
  });

  it('an unknown name is refused at its path, and nothing changes', async () => {
    const before = (await t.call('GET', '/api/channels/5/schedule')).body.revision;
    const bad = { ...named, sources: [named.sources[0], { key: 'bumps', content: [{ type: 'collection', name: 'Nope' }] }] };
    const r = await cliIn([...url, 'schedule', 'set', '5', '-'], JSON.stringify(bad));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /sources\.1\.content\.0: no collection named "Nope" \(see: exstreamtv collection list\)/);
    assert.equal((await t.call('GET', '/api/channels/5/schedule')).body.revision, before);
  });

  it('show list; channel list names the content and the real schedule kind', async () => {
    const shows = await cli([...url, 'show', 'list']);
    assert.equal(shows.code, 0, shows.stderr);
    assert.match(shows.stdout, /\d+\s+Night Shift\s+1\s+6/);
    const list = await cli([...url, 'channel', 'list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^5\s+Nights\s+time slots\s+see: schedule show/m);
    assert.match(list.stdout, /^6\s+Simple\s+in-order\s+collection Bumpers/m);
  });

  it('channel flags for what the TUI form edits: always-on, profile, audio and subtitle languages', async () => {
    const r = await cli([...url, 'channel', 'edit', '6', '--always-on', 'yes', '--audio-lang', 'eng,fre', '--subtitles', 'burn', '--subtitle-lang', 'eng', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const c = (await t.call('GET', '/api/channels/6')).body;
    assert.deepEqual([c.stream.alwaysOn, c.stream.audio.languages, c.stream.subtitles.mode, c.stream.subtitles.languages], [true, ['eng', 'fre'], 'burn', ['eng']]);
    assert.equal((await cli([...url, 'channel', 'edit', '6', '--always-on', 'no'])).code, 0);
    const bad = await cli([...url, 'channel', 'edit', '6', '--always-on', 'maybe']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--always-on: say yes or no, not "maybe"/);
    const lang = await cli([...url, 'channel', 'edit', '6', '--audio-lang', 'english!']);
    assert.equal(lang.code, 1);
    assert.match(lang.stderr, /stream\.audio\.languages\.0: must be a language code like eng/);
  });

  it('collection rename; deletes ask for --yes', async () => {
    const made = await t.api.createCollection({ name: 'Spare parts', itemIds: [] });
    const ren = await cli([...url, 'collection', 'rename', 'spare parts', 'Spare']);
    assert.equal(ren.code, 0, ren.stderr);
    assert.match(ren.stdout, /renamed collection "Spare parts" to "Spare"/);
    const c = (await t.api.collections()).find((x) => x.id === made.id)!;
    assert.equal(c.name, 'Spare');
    const no = await cli([...url, 'collection', 'rm', 'Spare']);
    assert.equal(no.code, 2);
    assert.match(no.stderr, /this deletes collection "Spare" \(0 items stay in the library\); repeat with --yes/);
    assert.ok((await t.api.collections()).some((x) => x.id === c.id));
    const yes = await cli([...url, 'collection', 'rm', 'Spare', '--yes']);
    assert.equal(yes.code, 0, yes.stderr);
    assert.ok(!(await t.api.collections()).some((x) => x.id === c.id));
  });
});
