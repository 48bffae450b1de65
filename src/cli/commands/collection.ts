import { Command } from 'commander';
import type { Collection } from '../../schemas/collection.js';
import type { ApiClient } from '../../client/api-client.js';
import { printJson, table } from '../format.js';
import { UsageError, withApi } from '../run.js';

export async function findCollection(api: ApiClient, ref: string): Promise<Collection> {
  const all = await api.request<Collection[]>('GET', '/api/collections');
  const hit = all.find((c) => c.name.toLowerCase() === ref.toLowerCase()) ?? all.find((c) => String(c.id) === ref);
  if (!hit) throw new UsageError(`no collection "${ref}" (see: exstreamtv collection list)`);
  return hit;
}

const ids = (values: string[]): number[] => values.map((v) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`"${v}" is not an item id (see: exstreamtv library items / search)`);
  return n;
});

export function collectionCommand(): Command {
  const col = new Command('collection').description('collections: hand-picked item lists, or saved searches that follow the library');

  col.command('add')
    .description('create a collection')
    .argument('<name>', 'collection name')
    .option('--search <query>', 'make it a saved search (e.g. "cartoon") instead of a manual list')
    .option('--item <ids...>', 'item ids for a manual collection')
    .option('--json', 'print JSON')
    .action(withApi<{ search?: string; item?: string[]; json?: boolean }>(async ({ api }, o, [name]) => {
      const body = o.search ? { name, kind: 'search', query: o.search } : { name, kind: 'manual', ...(o.item ? { itemIds: ids(o.item) } : {}) };
      const c = await api.request<Collection>('POST', '/api/collections', body);
      if (o.json) printJson(c);
      else console.log(`created collection ${c.id} "${c.name}" (${c.kind}${c.query ? `: ${c.query}` : `, ${c.items} items`})`);
    }));

  col.command('list')
    .description('list collections')
    .option('--json', 'print JSON')
    .action(withApi<{ json?: boolean }>(async ({ api }, o) => {
      const all = await api.request<Collection[]>('GET', '/api/collections');
      if (o.json) return printJson(all);
      if (!all.length) return console.log('no collections yet; create one with: exstreamtv collection add <name> --search <words>');
      console.log(table(['ID', 'NAME', 'KIND', 'ITEMS / QUERY'], all.map((c) => [c.id, c.name, c.kind, c.kind === 'search' ? c.query : c.items])));
    }));

  const change = (verb: 'add' | 'remove') => withApi<object>(async ({ api }, _o, [ref, values]) => {
    const c = await findCollection(api, String(ref));
    const r = await api.request<Collection>('POST', `/api/collections/${c.id}/items`, { [verb]: ids(values as string[]) });
    console.log(`collection "${r.name}" now has ${r.items} items`);
  });
  col.command('add-items').description('add items to a manual collection').argument('<collection>', 'name or id')
    .argument('<ids...>', 'item ids').action(change('add'));
  col.command('remove-items').description('remove items from a manual collection').argument('<collection>', 'name or id')
    .argument('<ids...>', 'item ids').action(change('remove'));

  col.command('rename').description('rename a collection').argument('<collection>', 'name or id').argument('<new-name>', 'its new name')
    .action(withApi<object>(async ({ api }, _o, [ref, name]) => {
      const c = await findCollection(api, String(ref));
      const r = await api.request<Collection>('PATCH', `/api/collections/${c.id}`, { name: String(name) });
      console.log(`renamed collection "${c.name}" to "${r.name}"`);
    }));

  col.command('rm')
    .description('delete a collection (refused while a channel uses it)')
    .argument('<collection>', 'name or id')
    .option('-y, --yes', 'do not ask (required when not on a terminal)')
    .action(withApi<{ yes?: boolean }>(async ({ api }, o, [ref]) => {
      const c = await findCollection(api, String(ref));
      if (!o.yes) throw new UsageError(`this deletes collection "${c.name}" (${c.items} items stay in the library); repeat with --yes`);
      await api.request('DELETE', `/api/collections/${c.id}`);
      console.log(`deleted collection "${c.name}"`);
    }));
  return col;
}
