// Headless Chromium for browser tests: Debian's /usr/bin/chromium (or $CHROMIUM) driven by
// playwright-core, with the flags this machine needs (closed network, root, no GPU).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { TOOLS, haveTools } from './tools.js';

export const CHROMIUM = TOOLS.chromium.cmd;
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/**
 * Runs `fn` with a fresh browser profile, closed (and its profile removed) after. Without Chromium
 * the test is skipped — or fails under CI=true, where `./install.sh --dev` must have installed it.
 */
export async function withChromium(t: Pick<TestContext, 'skip'>, fn: (ctx: BrowserContext) => Promise<void>, viewport = { width: 1280, height: 900 }): Promise<void> {
  if (!haveTools(t, [TOOLS.chromium])) return;
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(join(tmpdir(), 'exstreamtv-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport });
  try { await fn(ctx); } finally {
    await ctx.close();
    await rm(profile, { recursive: true, force: true });
  }
}
