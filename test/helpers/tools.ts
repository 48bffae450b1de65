// External test clients (mpv, gssdp-discover, hdhomerun_config, chromium, tv_validate_file…): a
// test that needs one skips when it is missing — fine on a laptop — but under CI=true a tool that
// `./install.sh --dev` installs must be there, so its absence fails the test instead of hiding
// behind "N skipped".
import type { TestContext } from 'node:test';
import { resolveBinary } from '../../src/hw/service.js';

/** A command (looked up on PATH) or an absolute path, and the Debian package that provides it. */
export interface Tool { cmd: string; pkg: string }

export const TOOLS = {
  mpv: { cmd: '/usr/bin/mpv', pkg: 'mpv' },
  chromium: { cmd: process.env.CHROMIUM ?? '/usr/bin/chromium', pkg: 'chromium' },
  gssdpDiscover: { cmd: 'gssdp-discover', pkg: 'gupnp-tools' },
  hdhomerunConfig: { cmd: 'hdhomerun_config', pkg: 'hdhomerun-config' },
  ip: { cmd: 'ip', pkg: 'iproute2' },
  curl: { cmd: 'curl', pkg: 'curl' },
  tmux: { cmd: 'tmux', pkg: 'tmux' },
  tvValidate: { cmd: '/usr/bin/tv_validate_file', pkg: 'xmltv-util' },
  tvSort: { cmd: '/usr/bin/tv_sort', pkg: 'xmltv-util' },
  xmltvDtd: { cmd: '/usr/share/xmltv/xmltv.dtd', pkg: 'xmltv-util' },
} as const satisfies Record<string, Tool>;

const present = (t: Tool, env: NodeJS.ProcessEnv): boolean => resolveBinary(t.cmd, env) !== null;

/** Why the tools cannot be used (null: all present). */
export function missingTools(tools: readonly Tool[], env: NodeJS.ProcessEnv = process.env): string | null {
  const gone = tools.filter((t) => !present(t, env));
  if (!gone.length) return null;
  return `${gone.map((t) => `${t.cmd} (Debian package ${t.pkg})`).join(', ')} ${gone.length > 1 ? 'are' : 'is'} not installed; ./install.sh --dev installs ${gone.length > 1 ? 'them' : 'it'}`;
}

/** Under CI=true a missing tool is an error; elsewhere a skip with the reason. */
export function ciRequires(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}

/**
 * Call first in a test that needs the tools: true when they are all there. Otherwise the test is
 * skipped with the reason (return at once), or under CI=true it fails.
 */
export function haveTools(t: Pick<TestContext, 'skip'>, tools: readonly Tool[], env: NodeJS.ProcessEnv = process.env): boolean {
  const why = missingTools(tools, env);
  if (!why) return true;
  if (ciRequires(env)) throw new Error(`CI=true: ${why}`);
  t.skip(why);
  return false;
}
